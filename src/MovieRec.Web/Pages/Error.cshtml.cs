using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Pages;

/// <summary>
/// The HTML error page browsers see (see <see cref="ErrorPages"/>): the status, a title and the reason in a sentence
/// (a missing movie, the rate limit's wait, what start-up is missing and how to fix it). Re-run requests keep their
/// method, so POST is answered too, without an antiforgery check (the page changes nothing).
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel(ModelHost host) : PageModel
{
    public int Status { get; private set; }

    public string Title { get; private set; } = "";

    public string Reason { get; private set; } = "";

    public string? RetryAfter { get; private set; }

    public IActionResult OnGet() => Show();

    public IActionResult OnPost() => Show();

    // A browser's PUT, DELETE or PATCH to a page (fetch with Accept: text/html) is a 405 re-run here with its method.
    public IActionResult OnPut() => Show();

    public IActionResult OnDelete() => Show();

    public IActionResult OnPatch() => Show();

    private PageResult Show()
    {
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        var exception = HttpContext.Features.Get<IExceptionHandlerFeature>();
        Status = reExecuted?.OriginalStatusCode
            ?? (exception is not null ? ErrorPages.ExceptionStatus(HttpContext) : StatusCodes.Status404NotFound);
        string? reason = ErrorPages.Reason(HttpContext);
        (Title, string fallback) = Status switch
        {
            404 => ("Page not found", $"There is no page at {reExecuted?.OriginalPath ?? Request.Path.Value}."),
            429 => ("Too many requests", "You have sent too many requests in a short time."),
            503 when host.StartupError is { } startup => ("MovieRec could not start", startup),
            503 => ("Temporarily unavailable", "A service MovieRec needs is unavailable; try again shortly."),
            >= 500 => ("Something went wrong", "The server failed to answer; the error is logged."),
            _ => ("The request could not be answered", "The request was not valid."),
        };
        Reason = reason ?? fallback;
        if (Response.Headers.RetryAfter.ToString() is { Length: > 0 } seconds) RetryAfter = $"{seconds} s";
        Response.StatusCode = Status;
        return Page();
    }
}
