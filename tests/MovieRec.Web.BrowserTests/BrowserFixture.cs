using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace MovieRec.Web.BrowserTests;

/// <summary>One app process and one headless Chromium (Debian's chromium and chromedriver) shared by the tests.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriverPath = "/usr/bin/chromedriver";
    private string? _profile;

    public AppServer Server { get; private set; } = null!;

    public ChromeDriver Driver { get; private set; } = null!;

    public string ScreenshotDirectory { get; } = Path.Combine(AppServer.RepositoryRoot, "docs", "screenshots");

    public async Task InitializeAsync()
    {
        Server = await AppServer.StartAsync().ConfigureAwait(false);
        // The dashboard's evaluation runs in the background from the first visit: start it now.
        using (var http = new HttpClient { BaseAddress = Server.BaseUri, Timeout = TimeSpan.FromMinutes(1) })
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    (await http.GetAsync(new Uri("/dashboard", UriKind.Relative)).ConfigureAwait(false)).Dispose();
                    break;
                }
                catch (HttpRequestException e) when (attempt < 3)
                {
                    Console.Error.WriteLine($"GET /dashboard failed ({e.Message}); retrying");
                    await Task.Delay(1000).ConfigureAwait(false);
                }
            }
        }

        _profile = Path.Combine(Path.GetTempPath(), "movierec-chromium-" + Guid.NewGuid().ToString("N"));
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,900", "--user-data-dir=" + _profile);
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(90);
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public Task DisposeAsync()
    {
        Driver?.Quit();
        Driver?.Dispose();
        Server?.Dispose();
        if (_profile is not null && Directory.Exists(_profile))
        {
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
