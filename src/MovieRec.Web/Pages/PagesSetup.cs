using Microsoft.AspNetCore.RateLimiting;
using MovieRec.Web.Api;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Pages;

/// <summary>The web UI: server-rendered Razor Pages over the same in-process services as the API.</summary>
public static class PagesSetup
{
    public static WebApplicationBuilder AddMovieRecPages(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // One rate limiter for pages and API: every page (search, recommendations, a movie's similar movies) counts
        // against the client's bucket for expensive reads, the same one the API's calls for the same answers use.
        builder.Services.AddRazorPages(o => o.Conventions.AddFolderApplicationModelConvention("/", page =>
        {
            if (page.ViewEnginePath == "/Error") return; // answers every status, whatever the method re-run on it
            page.EndpointMetadata.Add(new EnableRateLimitingAttribute(RateLimits.Expensive));
            page.EndpointMetadata.Add(new HttpMethodMetadata(HandledMethods(page)));
        }));
        builder.Services.AddSingleton<ClusterMap>();
        builder.Services.AddSingleton<EvaluationReport>();
        return builder;
    }

    /// <summary>
    /// The methods a page has handlers for (GET, and HEAD with it): routing answers any other with 405 naming them.
    /// Without this a POST to a page (which has no OnPost) was refused by the antiforgery check, a 400 saying nothing.
    /// </summary>
    private static string[] HandledMethods(Microsoft.AspNetCore.Mvc.ApplicationModels.PageApplicationModel page)
    {
        var methods = page.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant()).Distinct().ToList();
        if (methods.Contains(HttpMethods.Get) && !methods.Contains(HttpMethods.Head)) methods.Add(HttpMethods.Head);
        return [.. methods];
    }

    public static WebApplication MapMovieRecPages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStaticFiles(new StaticFileOptions
        {
            // Files are referenced with a version query (asp-append-version), so they may be cached for long.
            OnPrepareResponse = c =>
            {
                if (c.Context.Request.Query.ContainsKey("v")) c.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            },
        });
        // Browsers ask for /favicon.ico whatever the page says (e.g. when showing a poster on its own).
        app.MapGet("/favicon.ico", () => Results.Redirect("/favicon.svg", permanent: true)).ExcludeFromDescription();
        app.MapRazorPages();
        return app;
    }
}
