using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using MovieRec.Core.Data;

namespace MovieRec.Web.Api;

/// <summary>
/// A movie's id as the dataset spells it: a number for MovieLens-style datasets (1), a string for datasets of string
/// ids ("track-123"). Requests accept either form.
/// </summary>
/// <remarks>
/// In JSON a number stays a number and a string a string; routes (/api/v1/movies/{id}) and bodies accept either
/// form, and the catalogue resolves it (<see cref="Hosting.CatalogIndex.Find(MovieId)"/>): "1" finds movie 1 of a
/// numeric dataset, 42 finds the track "42". Inside the service a movie is its catalogue key
/// (<see cref="Movie.Id"/>), which for string ids is the dense item id.
/// </remarks>
[JsonConverter(typeof(MovieIdJsonConverter))]
public readonly record struct MovieId
{
    private MovieId(string value, bool isNumber)
    {
        Value = value;
        IsNumber = isNumber;
    }

    /// <summary>The id as text ("1", "track-123").</summary>
    public string Value { get; }

    /// <summary>Written as a JSON number (numeric datasets; a number given in a body).</summary>
    public bool IsNumber { get; }

    /// <summary>The id of <paramref name="movie"/> as its dataset spells it.</summary>
    public static MovieId Of(Movie movie)
    {
        ArgumentNullException.ThrowIfNull(movie);
        return movie.RawId is { } raw ? new(raw, false) : Number(movie.Id);
    }

    public static MovieId Number(long id) => new(id.ToString(CultureInfo.InvariantCulture), true);

    /// <summary>A number is a movie id (a MovieLens movieId).</summary>
    public static implicit operator MovieId(long id) => Number(id);

    /// <summary>The named alternative of the conversion from a number.</summary>
    public static MovieId FromInt64(long id) => Number(id);

    public static MovieId Text(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return new(id, false);
    }

    /// <summary>Route and query binding: any non-empty text (what it names is the catalogue's question).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out MovieId id)
    {
        id = default;
        if (string.IsNullOrEmpty(text)) return false;
        id = new(text, long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
        return true;
    }

    /// <summary>The id as a number, when it is one.</summary>
    public bool TryNumber(out long number) => long.TryParse(Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);

    /// <summary>For a URL path segment ("/movies/track%20one").</summary>
    public string Escaped => Uri.EscapeDataString(Value ?? "");

    public override string ToString() => Value ?? "";

    /// <summary>
    /// OpenAPI: a movie id is an integer or a string (the default schema would describe the struct's properties).
    /// </summary>
    internal static void Describe(OpenApiOptions options) =>
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
            if (type != typeof(MovieId)) return Task.CompletedTask;
            schema.Type = JsonSchemaType.Integer | JsonSchemaType.String;
            schema.Properties?.Clear();
            return Task.CompletedTask;
        });
}

/// <summary>Reads a movie id from a JSON number or string; writes it back the way the dataset spells it.</summary>
public sealed class MovieIdJsonConverter : JsonConverter<MovieId>
{
    public override MovieId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt64(out long n):
                return MovieId.Number(n);
            case JsonTokenType.String:
                var text = reader.GetString();
                // No message: the serializer then names the JSON path, which the 400 problem shows.
                if (string.IsNullOrEmpty(text)) throw new JsonException();
                return MovieId.Text(text);
            default:
                throw new JsonException();
        }
    }

    public override void Write(Utf8JsonWriter writer, MovieId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.IsNumber && value.TryNumber(out long n)) writer.WriteNumberValue(n);
        else writer.WriteStringValue(value.Value);
    }
}
