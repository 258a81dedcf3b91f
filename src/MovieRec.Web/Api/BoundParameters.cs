using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing.Patterns;

namespace MovieRec.Web.Api;

/// <summary>
/// What binding cannot say about an endpoint's parameters, checked once routing has chosen the endpoint and before it
/// binds: a query parameter given more than once (binding joins the values, "n=1&amp;n=2" into "1,2": a number was
/// "expects a whole number", a string silently "x,y"), and a route value whose percent-encoding is not UTF-8
/// (/api/v1/movies/%FF: Kestrel leaves the bytes it cannot decode as "%FF", which then read as the id "%FF", the id
/// a client sends as %25FF). Both are a 400 naming the parameter. The pages' handlers are checked for the first alike
/// (a page joined "?q=a&amp;q=b" into a search for "a,b"): the 400 is the HTML error page for a browser, ProblemDetails
/// for any other client, with the same sentence.
/// </summary>
public static class BoundParameters
{
    private static readonly ConcurrentDictionary<Endpoint, IReadOnlyDictionary<string, (string Name, Type Type)>> QueryParametersOf = new();

    public static Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetEndpoint() is not RouteEndpoint endpoint) return next(context);
        // Endpoints with a handler method (the API's) and Razor pages (their handlers' parameters); static files and
        // health checks bind nothing.
        var handler = endpoint.Metadata.GetMetadata<MethodInfo>();
        var page = handler is null ? endpoint.Metadata.GetMetadata<CompiledPageActionDescriptor>() : null;
        if (handler is null && page is null) return next(context);
        if (handler is not null && BadlyEncodedRouteValue(context, endpoint.RoutePattern) is { } bad)
        {
            return Refuse(context, bad.Name, $"not a valid id: bad encoding ('{Queries.QueryError.Echo(bad.Raw)}' is not percent-encoded UTF-8).");
        }
        if (context.Request.QueryString.HasValue)
        {
            var bound = QueryParametersOf.GetOrAdd(endpoint, static (e, of) => of.Handler is { } h
                ? QueryParameters(h, ((RouteEndpoint)e).RoutePattern)
                : PageQueryParameters(of.Page!, ((RouteEndpoint)e).RoutePattern), (Handler: handler, Page: page));
            foreach (var (key, values) in context.Request.Query)
            {
                if (values.Count > 1 && bound.TryGetValue(key, out var parameter))
                {
                    string times = values.Count == 2 ? "twice" : $"{values.Count} times";
                    return Refuse(context, parameter.Name, $"given {times}; expects one value{Expected(parameter.Type)}.");
                }
            }
        }
        return next(context);
    }

    // A browser asking for a page gets the HTML error page saying the same (the status code pages re-run the request
    // on /error with this reason); everyone else the ProblemDetails naming the field.
    private static Task Refuse(HttpContext context, string field, string message)
    {
        if (Pages.BrowserRequests.WantsHtml(context.Request))
        {
            Pages.ErrorPages.SetReason(context, $"{field}: {message}");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }
        return ApiProblems.Field(field, message).ExecuteAsync(context);
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int) || type == typeof(long) || type == typeof(short)) return ", a whole number";
        if (type == typeof(float) || type == typeof(double) || type == typeof(decimal)) return ", a number";
        if (type == typeof(bool)) return ", true or false";
        if (type == typeof(MovieId)) return ", a movie id";
        return "";
    }

    /// <summary>
    /// The route parameter whose segment of the URL, as sent, does not decode to UTF-8, and that segment. Patterns
    /// here are whole segments ("/movies/{id}"), and Kestrel does not decode %2F, so the URL's segments line up with
    /// the pattern's.
    /// </summary>
    private static (string Name, string Raw)? BadlyEncodedRouteValue(HttpContext context, RoutePattern pattern)
    {
        if (pattern.Parameters.Count == 0) return null;
        // The URL as sent; a server that does not keep it (the in-process test server) leaves the bytes it cannot
        // decode percent-encoded in the path, as Kestrel does, so the decoded path shows them too.
        string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : context.Request.PathBase.Value + context.Request.Path.Value;
        int query = target.IndexOf('?', StringComparison.Ordinal);
        string path = query >= 0 ? target[..query] : target;
        if (!path.Contains('%', StringComparison.Ordinal)) return null;
        if (!path.StartsWith('/'))
        {
            // The absolute form (GET http://host/api/...): the path starts after the authority.
            int authority = path.IndexOf("://", StringComparison.Ordinal);
            int slash = authority >= 0 ? path.IndexOf('/', authority + 3) : -1;
            if (slash < 0) return null;
            path = path[slash..];
        }
        string[] segments = path.TrimStart('/').Split('/');
        // The route pattern starts after the path base (none unless a proxy sets one).
        int skip = context.Request.PathBase.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries).Length;
        if (segments.Length < skip + pattern.PathSegments.Count) return null;
        for (int i = 0; i < pattern.PathSegments.Count; i++)
        {
            string segment = segments[skip + i];
            if (pattern.PathSegments[i].Parts is [RoutePatternParameterPart parameter] && !DecodesToUtf8(segment)) return (parameter.Name, segment);
        }
        return null;
    }

    private static bool DecodesToUtf8(string segment)
    {
        if (!segment.Contains('%', StringComparison.Ordinal)) return true;
        var bytes = new List<byte>(segment.Length);
        for (int i = 0; i < segment.Length; i++)
        {
            if (segment[i] == '%' && i + 2 < segment.Length && Uri.IsHexDigit(segment[i + 1]) && Uri.IsHexDigit(segment[i + 2]))
            {
                bytes.Add(byte.Parse(segment.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(segment[i].ToString()));
            }
        }
        return System.Text.Unicode.Utf8.IsValid(bytes.ToArray());
    }

    /// <summary>
    /// The query parameters the handler binds, as the client writes them (camelCase, case-insensitive) with their
    /// types: following the binding rules of minimal APIs for the parameters of the handler and of its
    /// [AsParameters] records: [FromQuery], or a string or a type with TryParse that is not a route value.
    /// </summary>
    private static Dictionary<string, (string Name, Type Type)> QueryParameters(MethodInfo handler, RoutePattern pattern)
    {
        var found = new Dictionary<string, (string Name, Type Type)>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in handler.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                foreach (var (name, type, attributes) in Members(parameter.ParameterType)) Add(found, pattern, name, type, attributes);
            }
            else if (parameter.Name is { } name)
            {
                Add(found, pattern, name, parameter.ParameterType, parameter.GetCustomAttributes());
            }
        }
        return found;
    }

    /// <summary>
    /// The query parameters a page's handlers bind (OnGet's parameters, by their [FromQuery] name if they have one) and
    /// its properties bound on GET ([BindProperty(SupportsGet = true)]), as MVC's model binding reads them: one value
    /// of a simple type, from the query unless the route has a value of that name (the route's wins).
    /// </summary>
    private static Dictionary<string, (string Name, Type Type)> PageQueryParameters(CompiledPageActionDescriptor page, RoutePattern pattern)
    {
        var found = new Dictionary<string, (string Name, Type Type)>(StringComparer.OrdinalIgnoreCase);
        void Bind(string name, Type type, BindingInfo? binding)
        {
            var source = binding?.BindingSource;
            if (source is not null && source != BindingSource.Query && source != BindingSource.ModelBinding) return;
            string query = binding?.BinderModelName ?? name;
            if ((source != BindingSource.Query && pattern.GetParameter(query) is not null) || !IsSingleValue(type)) return;
            found[query] = (query, type);
        }
        foreach (var handler in page.HandlerMethods)
        {
            foreach (var parameter in handler.Parameters) Bind(parameter.Name, parameter.ParameterType, parameter.BindingInfo);
        }
        foreach (var property in page.BoundProperties.OfType<Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure.PageBoundPropertyDescriptor>())
        {
            bool onGet = property.Property.GetCustomAttribute<BindPropertyAttribute>() is { SupportsGet: true } || property.BindingInfo?.BindingSource == BindingSource.Query;
            if (onGet) Bind(property.Name, property.ParameterType, property.BindingInfo);
        }
        return found;
    }

    // An [AsParameters] type binds its constructor's parameters when it has one public constructor with parameters (a
    // record's), otherwise its settable properties; a member's attributes may sit on either.
    private static IEnumerable<(string Name, Type Type, IEnumerable<Attribute> Attributes)> Members(Type type)
    {
        var constructors = type.GetConstructors();
        if (constructors is [{ } constructor] && constructor.GetParameters().Length > 0)
        {
            foreach (var parameter in constructor.GetParameters())
            {
                var property = type.GetProperty(parameter.Name!, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
                yield return (parameter.Name!, parameter.ParameterType, parameter.GetCustomAttributes().Concat(property?.GetCustomAttributes() ?? []));
            }
            yield break;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.CanWrite) yield return (property.Name, property.PropertyType, property.GetCustomAttributes());
        }
    }

    private static void Add(Dictionary<string, (string Name, Type Type)> found, RoutePattern pattern, string name, Type type, IEnumerable<Attribute> attributes)
    {
        var list = attributes.ToList();
        if (list.OfType<IFromQueryMetadata>().FirstOrDefault() is { } fromQuery)
        {
            string query = fromQuery.Name ?? JsonNamingPolicy.CamelCase.ConvertName(name);
            found[query] = (query, type);
            return;
        }
        if (list.Any(a => a is IFromRouteMetadata or IFromBodyMetadata or IFromServiceMetadata or IFromHeaderMetadata or IFromFormMetadata or FromKeyedServicesAttribute)) return;
        if (pattern.GetParameter(name) is not null || !IsSingleValue(type)) return;
        string camel = JsonNamingPolicy.CamelCase.ConvertName(name);
        found[camel] = (camel, type);
    }

    // A string, or a type with a static TryParse (numbers, bool, MovieId): bound from one value. Arrays (many values),
    // services, bodies and the special types (HttpContext, CancellationToken, ClaimsPrincipal) are not.
    private static bool IsSingleValue(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type.IsEnum) return true;
        if (type == typeof(CancellationToken) || type == typeof(ClaimsPrincipal) || typeof(HttpContext).IsAssignableFrom(type)) return false;
        return type.GetMethods(BindingFlags.Public | BindingFlags.Static).Any(m => m.Name == "TryParse" && m.GetParameters() is [{ } first, ..] && first.ParameterType == typeof(string));
    }
}
