using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MovieRec.Web.Api;

/// <summary>How the OpenAPI document (/openapi/v1.json, shown at /docs) is made.</summary>
public static class ApiDocs
{
    /// <summary>
    /// Query parameters come from [AsParameters] records, whose properties are PascalCase (PageSize); clients write
    /// them camelCase (pageSize), like JSON properties, and binding ignores case. The document says what clients write.
    /// Configured after AddOpenApi: the XML-comment transformer (added there) finds parameters by their C# names.
    /// </summary>
    public static void CamelCaseParameters(OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddOperationTransformer((operation, _, _) =>
        {
            foreach (var parameter in operation.Parameters ?? [])
            {
                if (parameter is OpenApiParameter { Name: { } name } concrete) concrete.Name = JsonNamingPolicy.CamelCase.ConvertName(name);
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Describes a route parameter of an [AsParameters] record (the XML comment of the record's property does not
    /// reach it: the route names it "id", the record "Id").
    /// </summary>
    public static RouteHandlerBuilder DescribeRouteValue(this RouteHandlerBuilder endpoint, string name, string description) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var parameter in operation.Parameters ?? [])
            {
                if (parameter is OpenApiParameter concrete && concrete.Name == name && string.IsNullOrEmpty(concrete.Description)) concrete.Description = description;
            }
            return Task.CompletedTask;
        });
}
