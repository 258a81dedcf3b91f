using System.Diagnostics.CodeAnalysis;

namespace MovieRec.Web.Queries;

/// <summary>
/// A client's mistake found by a query: the field it names (a query parameter, a route value or a path in the body,
/// as the client spelt it) and what is wrong with it; or, without a field, something asked for that does not exist.
/// The API turns it into a 400 or 404 ProblemDetails, a page into a notice.
/// </summary>
public sealed record QueryError(string? Field, string Message)
{
    /// <summary>Whether this is "no such movie/user/cluster" rather than a bad value.</summary>
    public bool IsNotFound => Field is null;

    public static QueryError Invalid(string field, string message) => new(field, message);

    public static QueryError NotFound(string message) => new(null, message);

    /// <summary>A count (how many items) must be 1 to <paramref name="max"/> when given.</summary>
    public static QueryError? CheckCount(int? n, int max, string field = "n") =>
        n is < 1 || n > max ? Invalid(field, $"must be between 1 and {max}, not {n}.") : null;

    /// <summary>At most this many characters of a client's value are repeated in a message.</summary>
    public const int MaxEcho = 40;

    /// <summary>
    /// A client's value as a message repeats it: the first <see cref="MaxEcho"/> characters and "..." when longer (a
    /// movie id of 8,000 characters was repeated whole in its 404), never a half of a surrogate pair.
    /// </summary>
    public static string Echo(string? value)
    {
        value ??= "";
        if (value.Length <= MaxEcho) return value;
        int cut = char.IsHighSurrogate(value[MaxEcho - 1]) ? MaxEcho - 1 : MaxEcho;
        return string.Concat(value.AsSpan(0, cut), "...");
    }

    /// <summary>"field: message", the sentence a page shows.</summary>
    public override string ToString() => Field is null ? Message : $"{Field}: {Message}";
}

/// <summary>What a query answers: a value, or the client's mistake (never both).</summary>
public readonly record struct QueryResult<T>
    where T : class
{
    private QueryResult(T? value, QueryError? error) => (Value, Error) = (value, error);

    public T? Value { get; }

    public QueryError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsOk => Error is null;

    public static QueryResult<T> Ok(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    public static QueryResult<T> Fail(QueryError error) => new(null, error ?? throw new ArgumentNullException(nameof(error)));

    public static implicit operator QueryResult<T>(T value) => Ok(value);

    public static implicit operator QueryResult<T>(QueryError error) => Fail(error);
}
