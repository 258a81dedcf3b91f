using Microsoft.AspNetCore.Http.Features;
using MovieRec.Web;
using MovieRec.Web.Api;
using MovieRec.Web.Pages;

// A setting the service cannot run with ends the process with one line naming it (exit code 1), not a stack trace.
AppDomain.CurrentDomain.UnhandledException += MovieRec.Web.Hosting.StartupProblem.ExitOnBadSetting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMovieRec();
builder.AddMovieRecPages();

var app = builder.Build();
app.UseMovieRec();
app.MapHealthApi();
var api = app.MapGroup("/api/v1");
api.MapMoviesApi();
api.MapDiscoveryApi();
api.MapRecommendationsApi();
api.MapAccountApi();
api.MapAdminApi();
app.MapMovieRecPages();
app.Run();

/// <summary>The entry point, visible to WebApplicationFactory tests.</summary>
public partial class Program;
