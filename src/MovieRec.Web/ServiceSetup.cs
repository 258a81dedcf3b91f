using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MovieRec.Web.Accounts;
using MovieRec.Web.Api;
using MovieRec.Web.Caching;
using MovieRec.Web.Hosting;
using MovieRec.Web.Pages;
using MovieRec.Web.Posters;
using MovieRec.Web.Queries;
using MovieRec.Web.Recommendations;
using MovieRec.Web.Security;
using MovieRec.Web.Storage;
using Prometheus;
using Scalar.AspNetCore;

namespace MovieRec.Web;

/// <summary>The service's configuration and middleware, so Program.cs reads as a table of contents.</summary>
public static class ServiceSetup
{
    /// <summary>Request bodies larger than this are refused with 413.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    /// <summary>The larger bodies: an export brought from elsewhere (POST /api/v1/me/ratings/import, /me/watchlist/import, /me/seen/import).</summary>
    public const long MaxImportBytes = 8 * 1024 * 1024;

    private static readonly string[] ImportPaths = ["/api/v1/me/ratings/import", "/api/v1/me/watchlist/import", "/api/v1/me/seen/import"];

    /// <summary>Whether bodies sent to <paramref name="path"/> may be up to <see cref="MaxImportBytes"/>.</summary>
    public static bool IsImportPath(PathString path)
    {
        foreach (var import in ImportPaths)
        {
            if (path.Equals(import, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    public static WebApplicationBuilder AddMovieRec(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;
        // Settings through IOptions, checked when the host starts: a bad value stops start-up with a sentence naming it.
        services.AddOptions<MovieRecOptions>().BindConfiguration(MovieRecOptions.Section)
            // MovieRec__ServedAlgorithms=ease,popularity is one value, which binding a list ignores (it binds __0, __1).
            .Configure<IConfiguration>((o, config) =>
            {
                if (config[Queries.AlgorithmChoices.Setting] is { Length: > 0 } listed) o.ServedAlgorithms.Add(listed);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MovieRecOptions>, MovieRecOptionsValidator>();
        // The validated settings as an object, for the hosting classes that take it directly.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MovieRecOptions>>().Value);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            RequestLimits.RaiseServerLimits(kestrel.Limits);
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            // Escape <, >, &, ' in JSON: a query echoed back can never become markup, whatever renders it.
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default;
        });
        // Behind a proxy (ingress-nginx, nginx, a cloud balancer): the client's address and scheme come from
        // X-Forwarded-For/-Proto of the hops MovieRec:TrustedProxies names, so rate limits are per client, not one
        // bucket for the balancer, and the session cookie is Secure behind TLS termination. Nobody else is believed.
        services.AddProxyTrust();
        services.TryAddSingleton(TimeProvider.System);
        AddMetricsPort(builder);
        // One title per status, the HTTP reason phrase, whoever writes the problem (ApiProblems.Title).
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiProblems.UseStatusTitle);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddOpenApi();
        services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", ApiDocs.CamelCaseParameters);
        services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", MovieId.Describe);

        // Ratings: PostgreSQL when ConnectionStrings:Ratings is an Npgsql connection string (Host= or Server=), otherwise SQLite;
        // a value that is neither stops start-up with a sentence naming the setting.
        string? ratings = configuration.GetConnectionString("Ratings");
        if (ratings is { Length: > 0 } && BackingServiceSettings.IsPostgres(ratings))
            services.AddSingleton<IRatingStore>(sp => new PostgresRatingStore(ratings)
            {
                ReadAllTimeout = sp.GetRequiredService<IOptions<MovieRecOptions>>().Value.StoredRatingsReadTimeout,
            });
        else
            services.AddSingleton<IRatingStore>(sp => new SqliteRatingStore(ratings is { Length: > 0 } ? ratings
                : $"Data Source={Path.Combine(sp.GetRequiredService<IOptions<MovieRecOptions>>().Value.DataDirectory, "ratings.db")}")
            {
                ReadAllTimeout = sp.GetRequiredService<IOptions<MovieRecOptions>>().Value.StoredRatingsReadTimeout,
            });

        // Cache: HybridCache in memory; Redis as the shared tier when Redis:Configuration is set.
        string? redis = configuration["Redis:Configuration"];
        if (!string.IsNullOrEmpty(redis))
        {
            BackingServiceSettings.CheckRedis(redis);
            var connection = new RedisConnection(redis);
            services.AddSingleton(connection);
            services.Configure<RedisCacheOptions>(o =>
            {
                o.ConnectionMultiplexerFactory = connection.GetAsync;
                o.InstanceName = "movierec:";
            });
            // Redis behind SharedCacheTier: while Redis is down the tier holds nothing instead of throwing (one log line, not two per request).
            services.AddSingleton<Microsoft.Extensions.Caching.Distributed.IDistributedCache>(sp => new SharedCacheTier(
                new RedisCache(sp.GetRequiredService<IOptions<RedisCacheOptions>>()), connection, sp.GetRequiredService<ILogger<SharedCacheTier>>()));
        }
        // The in-memory tier, bounded in bytes (the soak found it growing ~850 MiB a minute under unique requests).
        services.AddMemoryCache(o => o.TrackStatistics = true);
        services.AddOptions<MemoryCacheOptions>().Configure<IOptions<MovieRecOptions>>((o, movieRec) => o.SizeLimit = (long)movieRec.Value.CacheMegabytes << 20);
        services.AddHybridCache(o =>
        {
            o.MaximumPayloadBytes = 1 << 20;
            o.DefaultEntryOptions = new() { Expiration = TimeSpan.FromMinutes(10), LocalCacheExpiration = TimeSpan.FromMinutes(10) };
        });

        services.AddSingleton<ModelHost>();
        services.AddSingleton<ModelTrainer>();
        services.AddSingleton<ModelWarmer>();
        services.AddSingleton<ModelLifecycleService>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelLifecycleService>());
        services.AddHostedService<AccountPurgeService>();
        services.AddSingleton<IdleCompaction>();
        services.AddHostedService(sp => sp.GetRequiredService<IdleCompaction>());
        services.AddSingleton(new ServiceMetrics(Metrics.DefaultRegistry));
        services.AddSingleton<Recommender>();
        services.AddMovieRecQueries();
        services.AddHttpClient(nameof(PosterService), c => c.Timeout = PosterService.Timeout);
        services.AddSingleton<PosterService>();

        services.AddAuthentication(SessionTokens.Scheme).AddScheme<AuthenticationSchemeOptions, SessionTokenHandler>(SessionTokens.Scheme, null);
        services.AddAuthorization();
        services.AddMovieRecRateLimits();
        services.AddMovieRecHealthChecks(redis: !string.IsNullOrEmpty(redis));
        return builder;
    }

    public static WebApplication UseMovieRec(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<MovieRecOptions>>().Value;
        var metrics = app.Services.GetRequiredService<ServiceMetrics>();
        // Counted for the compaction that runs once the service is quiet again (probes and scrapes are not serving).
        var idle = app.Services.GetRequiredService<IdleCompaction>();
        app.Use((context, next) =>
        {
            if (IdleCompaction.Counts(context.Request.Path)) idle.RequestSeen();
            return next(context);
        });
        // First: every store call of a request (the session lookup, the endpoint's queries, the error page) shares one wait.
        app.UseOneDatabaseWaitPerRequest();
        if (options.MetricsPort is int metricsPort) app.Use((context, next) => MetricsOnItsPort(context, next, metricsPort));
        app.UseForwardedHeaders();
        app.Use(SecurityHeaders);
        app.Use(HeadAsGet);
        // Exceptions: ProblemDetails for API clients (ApiExceptionHandler), the HTML error page for browsers.
        // ApiExceptionHandler logs each exception as it deserves (a 500 with its stack, a 503 in one line, a failed
        // start-up not again): the middleware's own log of every exception is turned off.
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = ErrorPages.Path, SuppressDiagnosticsCallback = _ => true });
        app.UseMovieRecStatusCodePages();
        // The URL and header limits, as ProblemDetails naming the limit (Kestrel's own limits are set above them).
        app.Use(RequestLimits.CheckAsync);
        // Authentication first: an admin request without its key is 401 before anything reads its parameters or body.
        app.UseAdminKey();
        app.Use(LimitBody);
        app.Use(RequestCharset.CheckAsync);
        app.Use(ModelVersionHeader);
        // Routing after the status code pages, so a browser's 404 or 429 re-run on /error is routed to the error page.
        app.UseRouting();
        app.UseHttpMetrics(o => o.SetMetricFactory(Metrics.WithCustomRegistry(metrics.Registry)));
        // Before authentication: a forged cross-site write is refused without a database lookup.
        app.UseSameOriginWrites();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        // The endpoint's parameters, what binding cannot check: a query parameter given twice, a route value that is not UTF-8.
        app.Use(BoundParameters.CheckAsync);
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", o => o.WithTitle("MovieRec API"));
        app.MapMetrics("/metrics", metrics.Registry);
        var host = app.Services.GetRequiredService<ModelHost>();
        var store = app.Services.GetRequiredService<IRatingStore>();
        metrics.Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            if (host.Current is { } model) metrics.SetModel(model.Version);
            metrics.UpdateHitRatio();
            try
            {
                metrics.SetStoredRatings(await store.CountRatingsAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (System.Data.Common.DbException)
            {
                // The database being down is reported by /health/ready; the gauge keeps its last value.
            }
        });
        return app;
    }

    /// <summary>
    /// With MovieRec:MetricsPort set, the service also listens on that port (added to the configured URLs or
    /// ASPNETCORE_HTTP_PORTS), and <see cref="MetricsOnItsPort"/> keeps /metrics there and everything else off it.
    /// </summary>
    private static void AddMetricsPort(WebApplicationBuilder builder)
    {
        if (!int.TryParse(builder.Configuration[$"{MovieRecOptions.Section}:{nameof(MovieRecOptions.MetricsPort)}"], System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out int port) || port is <= 0 or > 65535)
            return; // unset; a bad value is reported by the options validator
        string p = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string? urls = builder.Configuration[Microsoft.AspNetCore.Hosting.WebHostDefaults.ServerUrlsKey];
        string? ports = builder.Configuration[Microsoft.AspNetCore.Hosting.WebHostDefaults.HttpPortsKey];
        if (!string.IsNullOrWhiteSpace(urls))
        {
            // The same hosts as the service's own addresses (127.0.0.1 stays local), on the metrics port.
            var extra = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(u => System.Text.RegularExpressions.Regex.Match(u, @"^https?://(\[[^\]]*\]|[^:/]+)").Groups[1].Value)
                .Where(h => h.Length > 0).Distinct().Select(h => $"http://{h}:{p}");
            builder.WebHost.UseSetting(Microsoft.AspNetCore.Hosting.WebHostDefaults.ServerUrlsKey, string.Join(';', [urls, .. extra]));
        }
        else if (!string.IsNullOrWhiteSpace(ports))
        {
            builder.WebHost.UseSetting(Microsoft.AspNetCore.Hosting.WebHostDefaults.HttpPortsKey, $"{ports};{p}");
        }
        else
        {
            builder.WebHost.UseSetting(Microsoft.AspNetCore.Hosting.WebHostDefaults.ServerUrlsKey, $"http://localhost:5000;http://localhost:{p}");
        }
    }

    /// <summary>/metrics only on the metrics port, and only /metrics there: the port an ingress routes never shows it.</summary>
    private static Task MetricsOnItsPort(HttpContext context, RequestDelegate next, int metricsPort)
    {
        bool onMetricsPort = context.Connection.LocalPort == metricsPort;
        bool isMetrics = context.Request.Path.Equals("/metrics", StringComparison.OrdinalIgnoreCase);
        if (onMetricsPort == isMetrics) return next(context);
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    /// <summary>413 before reading a body whose declared length is over the limit (Kestrel enforces it for chunked bodies too).</summary>
    private static async Task LimitBody(HttpContext context, RequestDelegate next)
    {
        long max = IsImportPath(context.Request.Path) ? MaxImportBytes : MaxBodyBytes;
        if (context.Request.ContentLength > max)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = 413, Detail = max == MaxBodyBytes ? $"Request bodies are limited to {MaxBodyBytes / 1024} KiB." : $"An import is limited to {MaxImportBytes / 1024 / 1024} MiB." },
            }).ConfigureAwait(false);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = max;
        await next(context).ConfigureAwait(false);
    }

    /// <summary>
    /// Headers that make a browser refuse what the pages never do: sniffed content types, framing, scripts and styles
    /// from elsewhere. Scripts come only from our own files; inline style attributes (star fills, histogram bars) are
    /// allowed, scripts never. The interactive API docs (/docs) load their own bundle and are left without the policy.
    /// </summary>
    private static Task SecurityHeaders(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        if (!context.Request.Path.StartsWithSegments("/docs", StringComparison.Ordinal))
        {
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
                + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
        }
        return next(context);
    }

    /// <summary>
    /// HEAD is answered as GET without the body (HTTP requires it wherever GET is; the endpoints are mapped for GET
    /// only, so it was 405): same status and headers, so a monitor or link checker can probe any GET URL.
    /// </summary>
    private static async Task HeadAsGet(HttpContext context, RequestDelegate next)
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var body = context.Features.Get<IHttpResponseBodyFeature>();
        context.Request.Method = HttpMethods.Get;
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null, body));
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Request.Method = HttpMethods.Head;
            context.Features.Set(body);
        }
    }

    /// <summary>Every API response names the model version that served it.</summary>
    private static Task ModelVersionHeader(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            // The state overload with a static callback: no closure per request.
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                if (http.RequestServices.GetRequiredService<ModelHost>().Current is { } model) http.Response.Headers["X-Model-Version"] = model.Version;
                return Task.CompletedTask;
            }, context);
        }
        return next(context);
    }
}
