using System.Runtime.InteropServices;

namespace MovieRec.Core.Algorithms.Semantic;

/// <summary>
/// Returns the C heap's free pages to the OS (glibc <c>malloc_trim</c>). ONNX Runtime parses the model and builds the
/// session with many short-lived native allocations; glibc keeps what they freed unless it lies at the top of the
/// heap, so after a session is built (and after bulk embedding) the process holds freed memory: 7-16 MiB measured
/// with the bundled model (docs/benchmarks.md, issue 18). Elsewhere (musl, macOS, Windows) this does nothing.
/// </summary>
public static class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>Gives the C heap's free pages back (glibc); nothing elsewhere.</summary>
    public static void Trim()
    {
        if (_unavailable) return;
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true; // not glibc
        }
    }

    // DllImport, not LibraryImport: the project allows no unsafe code, and an int and a nuint need no marshalling.
    [DllImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}
