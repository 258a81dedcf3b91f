using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace MovieRec.Core.Diagnostics;

/// <summary>
/// What holds the bytes: the managed memory reachable from a root (a model, a catalogue, an index), walked field by
/// field. Objects already counted (in <see cref="Seen"/>, shared by one walk over several roots) are not counted again,
/// so parts shared by several models are charged to the first root that reaches them. Sizes follow the 64-bit runtime's
/// layout (16-byte object header, 8-byte references; arrays 24 bytes plus their elements), so figures are close to
/// what the GC holds, not exact (padding and dictionary slack are estimated). Walks are for diagnostics: seconds on a
/// catalogue of 10,000 movies, never on a request path.
/// </summary>
public sealed class MemoryFootprint
{
    private static readonly ConcurrentDictionary<Type, FieldInfo[]> FieldsOf = new();
    private static readonly ConcurrentDictionary<Type, bool> HasReferences = new();
    private static readonly ConcurrentDictionary<Type, int> ValueSizes = new();

    /// <summary>Objects counted so far by this walk.</summary>
    public HashSet<object> Seen { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Arrays of at least this many bytes are listed in <see cref="Largest"/> with the field that holds them (0: none).</summary>
    public long ListArraysFrom { get; init; }

    /// <summary>The large arrays met (see <see cref="ListArraysFrom"/>): "Type.field: element[length]" and bytes.</summary>
    public List<(string Holder, long Bytes)> Largest { get; } = [];

    /// <summary>The bytes reachable from <paramref name="root"/> that no earlier root of this walk reached.</summary>
    public long Measure(object? root)
    {
        if (root is null) return 0;
        long total = 0;
        var pending = new Stack<object>();
        var holders = ListArraysFrom > 0 ? new Dictionary<object, string>(ReferenceEqualityComparer.Instance) : null;
        Push(root, "root");
        while (pending.Count > 0)
        {
            object o = pending.Pop();
            var type = o.GetType();
            if (o is string s)
            {
                total += Align(22 + 2L * s.Length);
                continue;
            }
            if (o is Array array)
            {
                var element = type.GetElementType()!;
                bool references = !element.IsValueType || ContainsReferences(element);
                long elementSize = element.IsValueType ? ValueSize(element) : 8;
                long bytes = Align(24 + elementSize * array.LongLength);
                total += bytes;
                if (holders is not null && bytes >= ListArraysFrom)
                    Largest.Add(($"{holders.GetValueOrDefault(o, "?")}: {element.Name}[{array.LongLength:N0}]", bytes));
                if (references)
                {
                    foreach (object? item in array)
                    {
                        if (item is null) continue;
                        if (element.IsValueType) WalkFields(item, pending);
                        else Push(item, type.Name + "[]");
                    }
                }
                continue;
            }
            total += Align(16 + InstanceSize(type));
            WalkFields(o, pending);
        }
        return total;

        void Push(object o, string holder)
        {
            if (Skip(o.GetType()) || !Seen.Add(o)) return;
            if (holders is not null && o is Array) holders[o] = holder;
            pending.Push(o);
        }

        void WalkFields(object o, Stack<object> stack)
        {
            // A task's only state worth counting is its result.
            if (o is Task task)
            {
                if (task.IsCompletedSuccessfully && task.GetType().IsGenericType && task.GetType().GetProperty("Result")?.GetValue(task) is { } result) Push(result, "Task.Result");
                return;
            }
            foreach (var field in Fields(o.GetType()))
            {
                var ft = field.FieldType;
                if (ft.IsPrimitive || ft.IsEnum || ft.IsPointer || ft == typeof(IntPtr) || ft == typeof(UIntPtr)) continue;
                if (ft.IsValueType && !ContainsReferences(ft)) continue;
                object? value;
                try
                {
                    value = field.GetValue(o);
                }
                catch (NotSupportedException)
                {
                    continue; // a ref struct or a by-ref-like field
                }
                if (value is null) continue;
                if (ft.IsValueType) WalkFields(value, stack);
                else Push(value, $"{field.DeclaringType?.Name}.{field.Name}");
            }
        }
    }

    /// <summary>Runtime plumbing reachable from models (types, reflection, loggers, the DI container) is not theirs.</summary>
    private static bool Skip(Type type) =>
        typeof(MemberInfo).IsAssignableFrom(type)
        || type.Namespace is { } ns && (ns.StartsWith("Microsoft.Extensions", StringComparison.Ordinal) || ns.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || ns.StartsWith("System.Reflection", StringComparison.Ordinal) || ns == "System.Threading" || ns.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal))
        || typeof(System.Runtime.InteropServices.SafeHandle).IsAssignableFrom(type);

    private static FieldInfo[] Fields(Type type) => FieldsOf.GetOrAdd(type, t =>
    {
        var fields = new List<FieldInfo>();
        for (var c = t; c is not null && c != typeof(object); c = c.BaseType)
            fields.AddRange(c.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
        return [.. fields];
    });

    private static long InstanceSize(Type type)
    {
        long size = 0;
        foreach (var field in Fields(type)) size += field.FieldType.IsValueType ? ValueSize(field.FieldType) : 8;
        return size;
    }

    private static int ValueSize(Type type) => ValueSizes.GetOrAdd(type, t =>
        t.IsEnum ? ValueSize(Enum.GetUnderlyingType(t))
        : t.IsPrimitive ? System.Runtime.InteropServices.Marshal.SizeOf(t == typeof(bool) ? typeof(byte) : t == typeof(char) ? typeof(short) : t)
        : (int)Math.Max(1, InstanceSize(t)));

    private static bool ContainsReferences(Type type) => HasReferences.GetOrAdd(type, t =>
        (bool)typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.IsReferenceOrContainsReferences))!.MakeGenericMethod(t).Invoke(null, null)!);

    private static long Align(long bytes) => (bytes + 7) & ~7L;
}
