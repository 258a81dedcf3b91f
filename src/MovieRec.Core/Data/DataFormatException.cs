namespace MovieRec.Core.Data;

/// <summary>
/// Bad input in a data file: names the file, the 1-based line and, where one is at fault, the field,
/// so that a user can open the file and fix it.
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string file, long line, string? field, string problem, Exception? inner = null)
        : base(Format(file, line, field, problem), inner)
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    public DataFormatException(string message, Exception? inner) : base(message, inner)
    {
        File = "";
        Problem = message;
    }

    public DataFormatException() : this("Bad input.", null) { }

    public DataFormatException(string message) : this(message, null) { }

    public string File { get; }

    /// <summary>1-based line number; 0 when the problem concerns the whole file.</summary>
    public long Line { get; }

    public string? Field { get; }

    /// <summary>The problem alone, without the location.</summary>
    public string Problem { get; }

    private static string Format(string file, long line, string? field, string problem)
    {
        var where = line > 0 ? $"{file}, line {line}" : file;
        if (field is not null) where += $", field '{field}'";
        return $"{where}: {problem}";
    }
}
