using System.Diagnostics;
using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Interactions;
using Xunit.Abstractions;

namespace MovieRec.Web.BrowserTests;

/// <summary>
/// The web UI end to end in real (headless) Chromium against the app on 127.0.0.1 with ml-latest-small: onboarding,
/// recommendations that follow the ratings, the algorithm switcher, search, movie pages, clusters, the dashboard,
/// rating by keyboard only, and no errors in the browser console. Each test saves a screenshot to docs/screenshots/.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Slow")] // end to end: a production start (every algorithm warmed) and Chromium, 160 CPU-seconds
public sealed class WebUiTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private ChromeDriver Driver => fixture.Driver;

    [Fact]
    public void Rating_only_animated_family_films_high_puts_animated_family_films_on_top()
    {
        NewVisitor("/");
        Assert.Equal("0 rated, rate at least 5", Driver.FindElement(By.Id("progress")).Text);
        Assert.False(Driver.FindElement(By.Id("submit")).Enabled);

        var family = Driver.FindElements(By.CssSelector("#onboarding .card"))
            .Where(c => IsAnimatedFamily(c.GetAttribute("data-genres"))).ToList();
        Assert.True(family.Count >= 5, $"the onboarding set offers {family.Count} animated family films");
        foreach (var card in family) RateByMouse(card.FindElement(By.CssSelector(".stars")), 5);
        Assert.Equal($"{family.Count} rated, enough for recommendations", Driver.FindElement(By.Id("progress")).Text);
        var submit = Driver.FindElement(By.Id("submit"));
        Assert.True(submit.Enabled);
        Driver.ExecuteScript("window.scrollTo(0, 0)");
        Screenshot("onboarding");

        var clock = Stopwatch.StartNew();
        submit.Click();
        Until(() => Driver.Url.EndsWith("/recommendations", StringComparison.Ordinal) && Driver.FindElements(By.CssSelector("#rec-list .card")).Count > 0);
        output.WriteLine($"Submit to recommendations on screen: {clock.ElapsedMilliseconds} ms (headless Chromium, shared machine)");

        Assert.Equal("taste", Driver.FindElement(By.Id("rec-list")).GetAttribute("data-algorithm"));
        AssertTopIsAnimatedFamily(5);
        var first = Driver.FindElement(By.CssSelector("#rec-list .card"));
        Assert.False(string.IsNullOrWhiteSpace(first.FindElement(By.CssSelector(".reason")).Text));
        Assert.Matches(@"^Predicted \d(\.\d+)?", first.FindElement(By.CssSelector(".predicted")).Text);
        Assert.True(first.FindElement(By.CssSelector("img.poster")).GetAttribute("naturalWidth") is { } w && int.Parse(w, CultureInfo.InvariantCulture) > 0);
        Screenshot("recommendations");
        DarkScreenshot("recommendations-dark");

        // The switcher: content-based follows the genres too; the list says which algorithm made it.
        SwitchTo("content");
        AssertTopIsAnimatedFamily(5);
        SwitchTo("kmeans");
        Assert.NotEmpty(Driver.FindElements(By.CssSelector("#rec-list .card")));
        // Rating models are not offered for a handful of ratings, and the page says why.
        Assert.Empty(Driver.FindElements(By.CssSelector(".switcher a[data-algorithm=svd]")));
        var whyNot = Driver.FindElement(By.Id("not-offered"));
        Assert.Contains("SVD", whyNot.FindElement(By.TagName("summary")).Text, StringComparison.Ordinal);

        // Rating a recommended movie refines the list at once: the rated movie leaves it.
        var top = Driver.FindElement(By.CssSelector("#rec-list .card"));
        string rated = top.GetAttribute("data-movie-id")!;
        var stars = top.FindElement(By.CssSelector(".stars"));
        Driver.ExecuteScript("arguments[0].scrollIntoView({block: 'center'})", stars);
        new Actions(Driver).MoveToElement(stars, -stars.Size.Width / 2 + 2, 0).Click().Perform();
        Until(() => Driver.FindElement(By.Id("recs-status")).Text == "Updated with your new rating.");
        Assert.DoesNotContain(rated, Driver.FindElements(By.CssSelector("#rec-list .card")).Select(c => c.GetAttribute("data-movie-id")));

        // The ratings live in the visitor's account (cookie), not in the page.
        Go("/recommendations");
        Assert.Contains($"Based on your {family.Count + 1} ratings", Driver.FindElement(By.Id("recs-status")).Text, StringComparison.Ordinal);
        AssertNoConsoleErrors();
    }

    [Fact]
    public void A_movie_can_be_rated_by_keyboard_only_and_its_page_shows_histogram_and_similar_movies()
    {
        NewVisitor("/movies/1");
        Assert.Contains("Toy Story", Driver.FindElement(By.TagName("h1")).Text, StringComparison.Ordinal);
        Assert.Equal(10, Driver.FindElements(By.CssSelector("#histogram rect.bar")).Count);
        Assert.Contains("Toy Story 2", Driver.FindElement(By.Id("similar-content")).Text, StringComparison.Ordinal);
        Assert.Equal(8, Driver.FindElements(By.CssSelector("#similar-ratings .card")).Count);
        Screenshot("movie");

        // Tab from the top of the page to the rating control, then arrows and End/Home only.
        Driver.ExecuteScript("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)");
        var keys = new Actions(Driver);
        IWebElement? slider = null;
        for (int k = 0; k < 40 && slider is null; k++)
        {
            keys.SendKeys(Keys.Tab).Perform();
            var active = Driver.SwitchTo().ActiveElement();
            if (active.GetAttribute("role") == "slider") slider = active;
        }
        Assert.NotNull(slider);
        Assert.Equal("Your rating of Toy Story (1995)", slider.GetAttribute("aria-label"));
        for (int k = 0; k < 8; k++) keys.SendKeys(Keys.ArrowRight).Perform();
        Assert.Equal("4", slider.GetAttribute("aria-valuenow"));
        keys.SendKeys(Keys.End).SendKeys(Keys.ArrowLeft).Perform();
        Assert.Equal("4.5", slider.GetAttribute("aria-valuenow"));
        Assert.Equal("4.5 of 5 stars", slider.GetAttribute("aria-valuetext"));
        Until(() => Driver.FindElement(By.CssSelector(".your-rating .rate-status")).Text == "Saved");

        Driver.Navigate().Refresh();
        Assert.Equal("4.5", Driver.FindElement(By.CssSelector(".your-rating .stars")).GetAttribute("aria-valuenow"));
        AssertNoConsoleErrors();
    }

    [Fact]
    public void A_rating_can_be_changed_and_taken_back_with_the_mouse()
    {
        NewVisitor("/movies/1");
        IWebElement Stars() => Driver.FindElement(By.CssSelector(".your-rating .stars"));
        IWebElement Remove() => Driver.FindElement(By.CssSelector(".your-rating button.clear-rating"));
        Assert.False(Remove().Displayed); // nothing to take back yet
        RateByMouse(Stars(), 4);
        Assert.True(Remove().Displayed);
        Assert.Equal("Remove your rating of Toy Story (1995)", Remove().GetAttribute("aria-label"));
        RateByMouse(Stars(), 2.5);
        Driver.Navigate().Refresh();
        Assert.Equal("2.5", Stars().GetAttribute("aria-valuenow"));
        Assert.True(Remove().Displayed);

        Remove().Click();
        Until(() => Driver.FindElement(By.CssSelector(".your-rating .rate-status")).Text == "Removed");
        Assert.Equal("0", Stars().GetAttribute("aria-valuenow"));
        Assert.False(Remove().Displayed);
        Driver.Navigate().Refresh();
        Assert.Equal("0", Stars().GetAttribute("aria-valuenow"));
        Assert.False(Remove().Displayed);
        AssertNoConsoleErrors();
    }

    [Fact]
    public void Ratings_given_on_other_pages_count_towards_the_five_on_the_start_page()
    {
        // A horror fan finds A Nightmare on Elm Street (1984) through search (it is not among the start page's movies)
        // and rates it on its page, then comes back to the start page.
        NewVisitor("/");
        Assert.Empty(Driver.FindElements(By.CssSelector("#onboarding .card[data-movie-id='1347']")));
        Go("/movies/1347");
        RateByMouse(Driver.FindElement(By.CssSelector(".your-rating .stars")), 5);
        Go("/");
        Assert.Equal("1 rated, rate at least 5", Driver.FindElement(By.Id("progress")).Text);

        // Four more on the start page make five: Submit is offered.
        var cards = Driver.FindElements(By.CssSelector("#onboarding .card")).Take(4).ToList();
        foreach (var card in cards) RateByMouse(card.FindElement(By.CssSelector(".stars")), 4);
        Assert.Equal("5 rated, enough for recommendations", Driver.FindElement(By.Id("progress")).Text);
        Assert.True(Driver.FindElement(By.Id("submit")).Enabled);
        AssertNoConsoleErrors();
    }

    [Fact]
    public void Back_to_a_page_shows_the_ratings_given_since()
    {
        NewVisitor("/");
        RateByMouse(Driver.FindElement(By.CssSelector("#onboarding .card .stars")), 4);
        Go("/movies/1347"); // not on the start page
        RateByMouse(Driver.FindElement(By.CssSelector(".your-rating .stars")), 5);
        Driver.Navigate().Back();
        Until(() => Driver.FindElement(By.Id("progress")).Text == "2 rated, rate at least 5");

        // The recommendations page: a rating given there refreshes the list and the visitor's ratings below it.
        for (int k = 0; k < 3; k++) RateByMouse(Driver.FindElements(By.CssSelector("#onboarding .card .stars"))[k + 1], 4);
        Go("/recommendations");
        Assert.Equal("Your ratings (5)", Driver.FindElement(By.CssSelector("#your-ratings summary")).Text);
        var stars = Driver.FindElement(By.CssSelector("#rec-list .card .stars"));
        Driver.ExecuteScript("arguments[0].scrollIntoView({block: 'center'})", stars);
        new Actions(Driver).MoveToElement(stars, stars.Size.Width / 2 - 2, 0).Click().Perform();
        Until(() => Driver.FindElement(By.Id("recs-status")).Text == "Updated with your new rating.");
        Assert.Equal("Your ratings (6)", Driver.FindElement(By.CssSelector("#your-ratings summary")).Text);
        Go("/movies/791"); // one rating in the dataset: never among the recommendations
        RateByMouse(Driver.FindElement(By.CssSelector(".your-rating .stars")), 3);
        Driver.Navigate().Back();
        Until(() => Driver.FindElement(By.CssSelector("#your-ratings summary")).Text == "Your ratings (7)");
        AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_new_visitor_imports_an_imdb_export_then_says_not_interested_and_takes_it_back()
    {
        // A horror fan's IMDb ratings export (ten points; a TV series MovieLens has only a 2006 film of the name of), chosen in the file input.
        string file = Path.Combine(Path.GetTempPath(), $"imdb-ratings-{Guid.NewGuid():N}.csv");
        File.WriteAllText(file, """
            Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors
            tt0081505,10,2024-05-01,The Shining,The Shining,https://www.imdb.com/title/tt0081505,Movie,8.4,146,1980,"Drama, Horror",1100000,1980-05-23,Stanley Kubrick
            tt0054215,10,2024-05-02,Psycho,Psycho,https://www.imdb.com/title/tt0054215,Movie,8.5,109,1960,"Horror, Mystery, Thriller",720000,1960-09-08,Alfred Hitchcock
            tt0070047,9,2024-05-03,The Exorcist,The Exorcist,https://www.imdb.com/title/tt0070047,Movie,8.1,122,1973,Horror,440000,1973-12-26,William Friedkin
            tt0077651,9,2024-05-04,Halloween,Halloween,https://www.imdb.com/title/tt0077651,Movie,7.7,91,1978,"Horror, Thriller",300000,1978-10-25,John Carpenter
            tt0087800,9,2024-05-05,A Nightmare on Elm Street,A Nightmare on Elm Street,https://www.imdb.com/title/tt0087800,Movie,7.4,91,1984,Horror,270000,1984-11-16,Wes Craven
            tt0084787,10,2024-05-06,The Thing,The Thing,https://www.imdb.com/title/tt0084787,Movie,8.2,109,1982,"Horror, Mystery, Sci-Fi",460000,1982-06-25,John Carpenter
            tt0063522,8,2024-05-07,Rosemary's Baby,Rosemary's Baby,https://www.imdb.com/title/tt0063522,Movie,8.0,137,1968,"Drama, Horror",230000,1968-06-12,Roman Polanski
            tt11280740,3,2024-05-08,Severance,Severance,https://www.imdb.com/title/tt11280740,TV Series,8.7,55,2022,"Drama, Mystery, Sci-Fi",300000,2022-02-18,
            """);
        try
        {
            NewVisitor("/");
            Driver.FindElement(By.CssSelector("#import-ratings > summary")).Click();
            Driver.FindElement(By.Id("import-file")).SendKeys(file);
            Driver.FindElement(By.Id("import-submit")).Click();
            var status = Driver.FindElement(By.Id("import-status"));
            Until(() => status.Text.StartsWith("Imported", StringComparison.Ordinal) || status.Text.StartsWith("Not imported", StringComparison.Ordinal));
            Assert.Equal("Imported 7 ratings from your IMDb file. 1 row matched no movie of the catalogue.", status.Text);
            Driver.FindElement(By.Id("import-unmatched-summary")).Click();
            Assert.Equal("Line 9: Severance (2022) (the catalogue has this title, but from 2006)", Driver.FindElement(By.CssSelector("#import-unmatched li")).Text);
            Assert.Equal("7 rated, enough for recommendations", Driver.FindElement(By.Id("progress")).Text);
            Screenshot("import");

            Driver.FindElement(By.CssSelector("#import-next a")).Click();
            Until(() => Driver.FindElements(By.CssSelector("#rec-list .card")).Count >= 10);
            Assert.Contains("Based on your 7 ratings", Driver.FindElement(By.Id("recs-status")).Text, StringComparison.Ordinal);
            var genres = Driver.FindElements(By.CssSelector("#rec-list .card")).Take(10).Select(c => c.GetAttribute("data-genres") ?? "").ToList();
            Assert.True(genres.Count(g => g.Contains("Horror", StringComparison.Ordinal)) >= 6, string.Join("; ", genres));
            // IMDb's 10 points became 5 stars, 9 points 4.5.
            Assert.Contains("The Shining (1980): 5 ★", Driver.FindElement(By.Id("your-ratings")).GetAttribute("textContent"), StringComparison.Ordinal);
            Assert.Contains("Halloween (1978): 4.5 ★", Driver.FindElement(By.Id("your-ratings")).GetAttribute("textContent"), StringComparison.Ordinal);

            // The download link gives the same seven back.
            string href = Driver.FindElement(By.Id("export-ratings")).GetAttribute("href")!;
            using var api = new HttpClient { BaseAddress = fixture.Server.BaseUri };
            api.DefaultRequestHeaders.Add("Cookie", "movierec_session=" + Driver.Manage().Cookies.GetCookieNamed("movierec_session")!.Value);
            var csv = (await api.GetStringAsync(new Uri(href))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(8, csv.Length);
            Assert.StartsWith("2160,tt0063522,805,Rosemary's Baby,1968,4,2024-05-07", csv[1], StringComparison.Ordinal);

            // Not interested in the first recommendation: the list is fetched again without it; "Show again" brings it back.
            string First() => Driver.FindElement(By.CssSelector("#rec-list .card")).GetAttribute("data-movie-id")!;
            string first = First(), second = Driver.FindElements(By.CssSelector("#rec-list .card"))[1].GetAttribute("data-movie-id")!;
            Driver.FindElement(By.CssSelector("#rec-list .card button.not-interested")).Click();
            Until(() => First() == second);
            Assert.StartsWith("Hidden:", Driver.FindElement(By.Id("recs-status")).Text, StringComparison.Ordinal);
            Assert.DoesNotContain(first, Driver.FindElements(By.CssSelector("#rec-list .card")).Select(c => c.GetAttribute("data-movie-id")));
            Driver.FindElement(By.CssSelector("#hidden-movies > summary")).Click();
            var again = Driver.FindElement(By.CssSelector($"#hidden-movies li[data-movie-id='{first}'] button.show-again"));
            again.Click();
            Until(() => First() == first);
            Assert.Empty(Driver.FindElements(By.Id("hidden-movies")));

            // "Show only" comedies: the choice applies at once, and every movie listed is one (horror comedies, for this fan).
            Driver.FindElement(By.CssSelector("#rec-genre option[value='Comedy']")).Click();
            Until(() => Driver.Url.Contains("genre=Comedy", StringComparison.Ordinal) && Driver.FindElements(By.CssSelector("#rec-list .card")).Count > 0);
            var comedies = Driver.FindElements(By.CssSelector("#rec-list .card")).Select(c => c.GetAttribute("data-genres") ?? "").ToList();
            Assert.True(comedies.Count >= 10 && comedies.All(g => g.Split('|').Contains("Comedy")), string.Join("; ", comedies));
            Assert.Contains("only Comedy", Driver.FindElement(By.Id("recs-status")).Text, StringComparison.Ordinal);
            AssertNoConsoleErrors();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_watchlist_is_kept_from_a_movie_page_and_from_the_list_and_a_rated_movie_leaves_it()
    {
        // Toy Story on the watchlist from its page (the click makes the account), Toy Story 2 rated on its page.
        NewVisitor("/movies/1");
        IWebElement Toggle() => Driver.FindElement(By.CssSelector(".your-rating button.watchlist-toggle"));
        Assert.Equal("+ Watchlist", Toggle().Text);
        Toggle().Click();
        Until(() => Toggle().GetAttribute("aria-pressed") == "true");
        Assert.Equal("On your watchlist ✓", Toggle().Text);
        Go("/movies/1");
        Assert.Equal("true", Toggle().GetAttribute("aria-pressed")); // kept
        Go("/movies/3114");
        RateByMouse(Driver.FindElement(By.CssSelector(".your-rating .stars")), 5);

        Go("/recommendations");
        IReadOnlyList<string> Listed() => [.. Driver.FindElements(By.CssSelector("#rec-list .card")).Select(c => c.GetAttribute("data-movie-id")!)];
        IReadOnlyList<string> Watchlist() => [.. Driver.FindElements(By.CssSelector("#watchlist li")).Select(li => li.GetAttribute("data-movie-id")!)];
        Until(() => Listed().Count > 0);
        Assert.Equal(["1"], Watchlist());
        Assert.DoesNotContain("1", Listed()); // on the watchlist: not recommended
        string first = Listed()[0];
        Driver.FindElement(By.CssSelector("#rec-list .card button.watchlist-toggle")).Click();
        Until(() => Watchlist().Count == 2);
        Assert.Equal([first, "1"], Watchlist());
        Assert.DoesNotContain(first, Listed());
        Assert.StartsWith("On your watchlist", Driver.FindElement(By.Id("recs-status")).Text, StringComparison.Ordinal);
        Driver.ExecuteScript("arguments[0].scrollIntoView({block: 'center'})", Driver.FindElement(By.Id("watchlist")));
        Screenshot("watchlist");

        // Seen and rated: off the watchlist; "Remove" takes the other off, and it is recommended again.
        Go("/movies/1");
        RateByMouse(Driver.FindElement(By.CssSelector(".your-rating .stars")), 4);
        Go("/recommendations");
        Until(() => Listed().Count > 0);
        Assert.Equal([first], Watchlist());
        Driver.FindElement(By.CssSelector("#watchlist li button.watchlist-remove")).Click();
        Until(() => Driver.FindElements(By.Id("watchlist")).Count == 0);
        Assert.Contains(first, Listed());

        // Letterboxd's watchlist.csv chosen on this page: the form takes it for a watchlist by its name, and both movies
        // join the list (the latest added first) without a reload.
        string folder = Directory.CreateTempSubdirectory("letterboxd-").FullName;
        string file = Path.Combine(folder, "watchlist.csv");
        File.WriteAllText(file, "Date,Name,Year,Letterboxd URI\n2024-05-01,Alien,1979,https://boxd.it/a\n2024-05-02,Heat,1995,https://boxd.it/b\n");
        try
        {
            Driver.FindElement(By.CssSelector("#import-ratings > summary")).Click();
            Driver.FindElement(By.Id("import-file")).SendKeys(file);
            Assert.True(Driver.FindElement(By.CssSelector("#import-form input[name=kind][value=watchlist]")).Selected);
            Driver.FindElement(By.Id("import-submit")).Click();
            var status = Driver.FindElement(By.Id("import-status"));
            Until(() => status.Text.StartsWith("2 movies", StringComparison.Ordinal) || status.Text.StartsWith("Not imported", StringComparison.Ordinal));
            Assert.Equal("2 movies added to your watchlist from your Letterboxd file.", status.Text);
            Until(() => Watchlist().Count == 2);
            Assert.Equal(["6", "1214"], Watchlist());
            Assert.DoesNotContain("6", Listed());

            // watched.csv: taken for films seen by its name; they join "Seen, not rated", and "Remove" takes one back.
            string watched = Path.Combine(folder, "watched.csv");
            File.WriteAllText(watched, "Date,Name,Year,Letterboxd URI\n2024-05-03,Vertigo,1958,https://boxd.it/c\n");
            Driver.FindElement(By.Id("import-file")).SendKeys(watched);
            Assert.True(Driver.FindElement(By.CssSelector("#import-form input[name=kind][value=seen]")).Selected);
            Driver.FindElement(By.Id("import-submit")).Click();
            Until(() => status.Text.StartsWith("1 movie", StringComparison.Ordinal) || status.Text.StartsWith("Not imported", StringComparison.Ordinal));
            Assert.Equal("1 movie added to the movies you have seen from your Letterboxd file.", status.Text);
            Until(() => Driver.FindElements(By.CssSelector("#seen-movies li")).Count == 1);
            Driver.FindElement(By.CssSelector("#seen-movies > summary")).Click();
            Driver.FindElement(By.CssSelector("#seen-movies li[data-movie-id='903'] button.seen-remove")).Click();
            Until(() => Driver.FindElements(By.Id("seen-movies")).Count == 0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        AssertNoConsoleErrors();
    }

    [Fact]
    public void A_watchlist_imported_before_any_rating_shows_on_the_recommendations_page()
    {
        // An account with a watchlist and no rating (Toy Story kept from its page): the recommendations page has no
        // list yet, so after the import it is shown again, listing the imported movies by the dates IMDb gives.
        NewVisitor("/movies/1");
        Driver.FindElement(By.CssSelector(".your-rating button.watchlist-toggle")).Click();
        Until(() => Driver.FindElement(By.CssSelector(".your-rating button.watchlist-toggle")).GetAttribute("aria-pressed") == "true");
        Go("/recommendations");
        Assert.NotNull(Driver.FindElement(By.Id("recs-empty")));
        string folder = Directory.CreateTempSubdirectory("imdb-").FullName;
        string file = Path.Combine(folder, "WATCHLIST.csv");
        File.WriteAllText(file, """
            Position,Const,Created,Modified,Description,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors,Your Rating,Date Rated
            1,tt0078748,2024-05-01,2024-05-01,,Alien,Alien,https://www.imdb.com/title/tt0078748/,Movie,8.5,117,1979,"Horror, Sci-Fi",900000,1979-05-25,Ridley Scott,,
            2,tt0113277,2024-05-02,2024-05-02,,Heat,Heat,https://www.imdb.com/title/tt0113277/,Movie,8.3,170,1995,"Action, Crime",700000,1995-12-15,Michael Mann,,
            """);
        try
        {
            Driver.FindElement(By.CssSelector("#import-ratings > summary")).Click();
            Driver.FindElement(By.Id("import-file")).SendKeys(file);
            Driver.FindElement(By.Id("import-submit")).Click();
            Until(() => Driver.FindElements(By.CssSelector("#watchlist li")).Count == 3);
            Assert.Equal(["1", "6", "1214"], Driver.FindElements(By.CssSelector("#watchlist li")).Select(li => li.GetAttribute("data-movie-id")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        AssertNoConsoleErrors();
    }

    /// <summary>Rates Toy Story 5 stars on its page (the page creates the session) and returns the session cookie's value.</summary>
    private string RateToyStory()
    {
        NewVisitor("/movies/1");
        var stars = Driver.FindElement(By.CssSelector(".your-rating .stars"));
        Driver.ExecuteScript("arguments[0].focus()", stars);
        new Actions(Driver).SendKeys(Keys.End).Perform();
        Until(() => Driver.FindElement(By.CssSelector(".your-rating .rate-status")).Text == "Saved");
        return Driver.Manage().Cookies.GetCookieNamed("movierec_session")?.Value ?? throw new InvalidOperationException("no session cookie after rating");
    }

    [Fact]
    public void A_form_on_another_site_cannot_create_a_session_or_replace_the_visitors()
    {
        string session = RateToyStory();
        AssertNoConsoleErrors();

        // Another site's page (a data: URL: origin "null", cross-site) posts a form to the sessions endpoint.
        var target = new Uri(fixture.Server.BaseUri, "/api/v1/sessions");
        string attack = $"<form method=post action='{target}'></form><script>document.forms[0].submit()</script>";
        Driver.Navigate().GoToUrl("data:text/html," + Uri.EscapeDataString(attack));
        Until(() => Driver.Url.StartsWith(target.ToString(), StringComparison.Ordinal));
        Until(() => Driver.PageSource.Contains("Cross-site request refused", StringComparison.Ordinal));
        Driver.Manage().Logs.GetLog(LogType.Browser); // the 403 is logged by the browser, as it should be

        // The visitor's own session is untouched and still works.
        Go("/movies/1");
        Assert.Equal(session, Driver.Manage().Cookies.GetCookieNamed("movierec_session")?.Value);
        Assert.Equal("5", Driver.FindElement(By.CssSelector(".your-rating .stars")).GetAttribute("aria-valuenow"));
        AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_visitor_can_delete_the_account_and_its_ratings_after_confirming()
    {
        string session = RateToyStory();
        Go("/recommendations");
        var open = Driver.FindElement(By.Id("delete-account"));
        var dialog = Driver.FindElement(By.Id("delete-account-dialog"));
        Driver.ExecuteScript("arguments[0].scrollIntoView({block: 'center'})", open);

        // Changing one's mind keeps everything.
        open.Click();
        Until(() => dialog.GetAttribute("open") is not null);
        Assert.Contains("This deletes your account and your rating for good.", dialog.Text, StringComparison.Ordinal); // one rating
        Driver.FindElement(By.Id("delete-account-cancel")).Click();
        Until(() => dialog.GetAttribute("open") is null);
        Assert.Equal(session, Driver.Manage().Cookies.GetCookieNamed("movierec_session")?.Value);

        open.Click();
        Until(() => dialog.GetAttribute("open") is not null);
        Driver.FindElement(By.Id("delete-account-confirm")).Click();
        Until(() => Driver.FindElements(By.Id("deleted-notice")).Count == 1);
        Assert.Null(Driver.Manage().Cookies.GetCookieNamed("movierec_session"));
        using (var api = new HttpClient { BaseAddress = fixture.Server.BaseUri })
        {
            api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", session);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await api.GetAsync(new Uri("/api/v1/me/ratings", UriKind.Relative))).StatusCode);
        }
        Go("/recommendations");
        Assert.Contains("Nothing rated yet", Driver.FindElement(By.TagName("main")).Text, StringComparison.Ordinal);
        Assert.Empty(Driver.FindElements(By.Id("delete-account")));
        AssertNoConsoleErrors();
    }

    [Fact]
    public void A_missing_movie_or_page_is_an_html_page_in_the_browser()
    {
        NewVisitor("/movies/999999999");
        Assert.Equal("Page not found", Driver.FindElement(By.TagName("h1")).Text);
        Assert.Contains("999999999", Driver.FindElement(By.Id("error-reason")).Text, StringComparison.Ordinal);
        Go("/no/such/page");
        Assert.Equal("Page not found", Driver.FindElement(By.TagName("h1")).Text);
        Driver.Manage().Logs.GetLog(LogType.Browser); // the 404s are logged by the browser, as they should be
    }

    [Fact]
    public void Search_offers_title_autocomplete_filters_and_a_describe_box_that_says_it_is_lexical()
    {
        NewVisitor("/search");
        var box = Driver.FindElement(By.Id("q"));
        box.SendKeys("toy sto");
        Until(() => Driver.FindElements(By.CssSelector("#q-list [role=option]")).Count > 0);
        Assert.Equal("true", box.GetAttribute("aria-expanded"));
        Assert.StartsWith("Toy Story", Driver.FindElement(By.CssSelector("#q-list [role=option]")).Text, StringComparison.Ordinal);
        box.SendKeys(Keys.ArrowDown);
        box.SendKeys(Keys.Enter);
        Until(() => Driver.Url.Contains("/movies/", StringComparison.Ordinal));
        Assert.StartsWith("Toy Story", Driver.FindElement(By.TagName("h1")).Text, StringComparison.Ordinal);

        Go("/search");
        Driver.FindElement(By.CssSelector("#genre option[value=Animation]")).Click();
        Driver.FindElement(By.CssSelector("#decade option[value='1990']")).Click();
        Driver.FindElement(By.CssSelector("form[aria-labelledby=title-search-heading] button[type=submit]")).Click();
        Until(() => Driver.FindElements(By.CssSelector("#title-results .card")).Count > 0);
        foreach (var card in Driver.FindElements(By.CssSelector("#title-results .card")))
        {
            Assert.Contains("Animation", card.GetAttribute("data-genres")!.Split('|'));
            int year = int.Parse(card.FindElement(By.CssSelector(".meta")).Text[..4], CultureInfo.InvariantCulture);
            Assert.InRange(year, 1990, 1999);
        }

        Go("/search");
        Driver.FindElement(By.Id("describe")).SendKeys("toys that come to life");
        Driver.FindElement(By.CssSelector("form[aria-labelledby=describe-heading] button[type=submit]")).Click();
        Until(() => Driver.FindElements(By.CssSelector("#describe-results .card")).Count > 0);
        var mode = Driver.FindElement(By.Id("search-mode"));
        Assert.Equal("lexical", mode.GetAttribute("data-mode")); // semantic search is off here (AppServer)
        Assert.Contains("lexical", mode.Text, StringComparison.Ordinal);
        Assert.Contains("Toy Story", Driver.FindElement(By.Id("describe-results")).Text, StringComparison.Ordinal);
        Screenshot("search");
        AssertNoConsoleErrors();
    }

    [Fact]
    public void Query_strings_are_shown_as_text_never_run()
    {
        NewVisitor("/search?q=" + Uri.EscapeDataString("<img src=x onerror=\"window.__xss=1\">"));
        Assert.Contains("<img src=x", Driver.FindElement(By.Id("title-results-heading")).Text, StringComparison.Ordinal);
        Assert.Null(Driver.ExecuteScript("return window.__xss === undefined ? null : window.__xss"));
        AssertNoConsoleErrors();
    }

    [Fact]
    public void Clusters_page_names_each_cluster_and_draws_the_pca_scatter()
    {
        NewVisitor("/clusters");
        var clusters = Driver.FindElements(By.CssSelector("li.cluster"));
        Assert.True(clusters.Count >= 2);
        foreach (var c in clusters)
        {
            Assert.False(string.IsNullOrWhiteSpace(c.FindElement(By.TagName("h2")).Text));
            Assert.NotEmpty(c.FindElements(By.CssSelector(".reps img")));
        }
        Assert.Equal(clusters.Count, Driver.FindElements(By.CssSelector("#cluster-scatter circle.centroid")).Count);
        Assert.True(Driver.FindElements(By.CssSelector("#cluster-scatter circle")).Count > 500);
        Screenshot("clusters");
        AssertNoConsoleErrors();
    }

    [Fact]
    public void Dashboard_shows_the_model_its_loss_curve_the_data_and_a_per_algorithm_evaluation()
    {
        NewVisitor("/dashboard");
        Assert.Matches(@"^\d{8}T\d{6}Z-[0-9a-f]{8}$", Driver.FindElement(By.Id("model-version")).Text);
        Assert.Equal("100,836", Driver.FindElement(By.Id("stat-ratings")).Text);
        var points = Driver.FindElement(By.CssSelector("#loss-chart polyline")).GetAttribute("points")!.Split(' ');
        Assert.True(points.Length >= 2);
        // Every algorithm the service serves (the catalogue's servable entries), the persisted svd first.
        Assert.Equal(["svd", .. MovieRec.Core.Algorithms.AlgorithmCatalog.Servable.Select(e => e.Name).Where(n => n != "svd")],
            Driver.FindElements(By.CssSelector("#evaluation tbody tr")).Select(r => r.GetAttribute("data-algorithm")));

        // The evaluation runs in the background (started when the fixture first opened the dashboard).
        Until(() =>
        {
            Driver.Navigate().Refresh();
            return Driver.FindElement(By.CssSelector("#evaluation tr[data-algorithm=svd]")).GetAttribute("data-state") == "done";
        }, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(2));
        var cells = Driver.FindElements(By.CssSelector("#evaluation tr[data-algorithm=svd] td")).Select(c => c.Text).ToList();
        double rmse = double.Parse(cells[0], CultureInfo.InvariantCulture), hr = double.Parse(cells[2], CultureInfo.InvariantCulture);
        Assert.InRange(rmse, 0.6, 1.2);
        Assert.InRange(hr, 0.0, 1.0);
        Screenshot("dashboard");
        AssertNoConsoleErrors();
    }

    private static bool IsAnimatedFamily(string? genres) => genres is not null && genres.Split('|') is var g && g.Contains("Animation") && g.Contains("Children");

    private void AssertTopIsAnimatedFamily(int n)
    {
        var top = Driver.FindElements(By.CssSelector("#rec-list .card")).Take(n)
            .Select(c => (Title: c.FindElement(By.CssSelector(".card-title")).Text, Genres: c.GetAttribute("data-genres")!.Split('|'))).ToList();
        Assert.Equal(n, top.Count);
        foreach (var (title, genres) in top)
            Assert.True(genres.Contains("Animation") || genres.Contains("Children"), $"{title} ({string.Join(", ", genres)}) is in the top {n}");
    }

    private void SwitchTo(string algorithm)
    {
        Driver.FindElement(By.CssSelector($".switcher a[data-algorithm={algorithm}]")).Click();
        Until(() => Driver.FindElements(By.CssSelector($"#rec-list[data-algorithm={algorithm}] .card")).Count > 0);
        Assert.Equal("page", Driver.FindElement(By.CssSelector($".switcher a[data-algorithm={algorithm}]")).GetAttribute("aria-current"));
    }

    /// <summary>Clicks the stars where <paramref name="value"/> lies (offsets are from the element's centre) and waits until it is saved.</summary>
    private void RateByMouse(IWebElement stars, double value)
    {
        Driver.ExecuteScript("arguments[0].scrollIntoView({block: 'center'})", stars);
        int width = stars.Size.Width;
        int x = (int)Math.Round(width * (value / 5.0) - width / 2.0 - 2);
        new Actions(Driver).MoveToElement(stars, x, 0).Click().Perform();
        Until(() => stars.GetAttribute("aria-valuenow") == value.ToString(CultureInfo.InvariantCulture)
                    && stars.FindElement(By.XPath("following-sibling::span[@class='rate-status']")).Text == "Saved");
    }

    [Fact]
    public void Every_page_fits_a_phone_screen_without_sideways_scrolling_or_a_header_left_on_top()
    {
        // A phone viewport (390 x 844 CSS pixels, device scale 3) through the DevTools protocol, reset afterwards.
        Driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = 390,
            ["height"] = 844,
            ["deviceScaleFactor"] = 3,
            ["mobile"] = true,
        });
        try
        {
            foreach (string page in new[] { "/", "/recommendations", "/search?q=star", "/movies/1", "/clusters", "/dashboard" })
            {
                NewVisitor(page);
                long overflow = (long)Driver.ExecuteScript("return document.documentElement.scrollWidth - window.innerWidth")!;
                Assert.True(overflow <= 0, $"{page} is {overflow} px wider than a 390 px phone screen");
            }
            // Scrolled down a list, the page's header (two rows of links and the search box) does not stay over a
            // fifth of the phone's screen.
            NewVisitor("/search?q=star");
            Driver.ExecuteScript("window.scrollTo(0, 1500)");
            long covered = (long)Driver.ExecuteScript("return Math.max(0, Math.round(document.querySelector('.site-header').getBoundingClientRect().bottom))")!;
            Assert.True(covered <= 84, $"the header covers the top {covered} px of an 844 px phone screen after scrolling");
            NewVisitor("/movies/1");
            Screenshot("movie-phone");
            AssertNoConsoleErrors();
        }
        finally
        {
            Driver.ExecuteCdpCommand("Emulation.clearDeviceMetricsOverride", new Dictionary<string, object?>());
        }
    }

    [Fact]
    public void Text_has_wcag_aa_contrast_in_light_and_dark()
    {
        // For every visible element with its own text: the contrast of its colour against the first opaque background
        // up its ancestors (WCAG 2 relative luminance), at least 4.5:1 (3:1 for large text), on each page, both schemes.
        const string Script = """
            function lum(c) { const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; }
            function alpha(c) { const p = c.match(/[\d.]+/g); return p.length > 3 ? Number(p[3]) : 1; }
            function bg(el) { for (let e = el; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor; if (alpha(c) >= 0.99) return c; } return getComputedStyle(document.documentElement).backgroundColor.startsWith('rgba(0, 0, 0, 0)') ? 'rgb(255,255,255)' : getComputedStyle(document.documentElement).backgroundColor; }
            const bad = [];
            for (const el of document.querySelectorAll('body *')) {
              if (!el.checkVisibility || !el.checkVisibility()) continue;
              const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim().length > 0);
              if (!own || el.closest('svg')) continue;
              const s = getComputedStyle(el); if (alpha(s.color) < 0.99) continue;
              const a = lum(s.color), b = lum(bg(el)); const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
              const large = parseFloat(s.fontSize) >= 24 || (parseFloat(s.fontSize) >= 18.66 && Number(s.fontWeight) >= 700);
              if (ratio < (large ? 3 : 4.5)) bad.push(el.tagName + '.' + el.className + ' "' + el.textContent.trim().slice(0, 30) + '" ' + ratio.toFixed(2));
            }
            return bad.slice(0, 10).join('\n');
            """;
        foreach (string scheme in new[] { "light", "dark" })
        {
            Driver.ExecuteCdpCommand("Emulation.setEmulatedMedia", new Dictionary<string, object?> { ["features"] = new[] { new Dictionary<string, object> { ["name"] = "prefers-color-scheme", ["value"] = scheme } } });
            try
            {
                foreach (string page in new[] { "/", "/search?q=star", "/movies/1", "/clusters", "/dashboard" })
                {
                    NewVisitor(page);
                    string bad = (string)Driver.ExecuteScript(Script)!;
                    Assert.True(bad.Length == 0, $"{page} ({scheme}): text below WCAG AA contrast:\n{bad}");
                }
            }
            finally
            {
                Driver.ExecuteCdpCommand("Emulation.setEmulatedMedia", new Dictionary<string, object?> { ["features"] = Array.Empty<object>() });
            }
        }
    }

    private void NewVisitor(string path)
    {
        Go("/favicon.svg");
        Driver.Manage().Cookies.DeleteAllCookies();
        Go(path);
    }

    private void Go(string path) => Driver.Navigate().GoToUrl(new Uri(fixture.Server.BaseUri, path));

    private void Until(Func<bool> condition, TimeSpan? timeout = null, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (clock.Elapsed < (timeout ?? Wait))
        {
            try
            {
                if (condition()) return;
            }
            catch (WebDriverException e)
            {
                last = e;
            }
            Thread.Sleep(poll ?? TimeSpan.FromMilliseconds(50));
        }
        throw new TimeoutException($"Condition not met within {timeout ?? Wait} on {Driver.Url}", last);
    }

    private void Screenshot(string name) =>
        Driver.GetScreenshot().SaveAsFile(Path.Combine(fixture.ScreenshotDirectory, name + ".png"));

    private void DarkScreenshot(string name)
    {
        var dark = new Dictionary<string, object?> { ["features"] = new[] { new Dictionary<string, object> { ["name"] = "prefers-color-scheme", ["value"] = "dark" } } };
        Driver.ExecuteCdpCommand("Emulation.setEmulatedMedia", dark);
        try
        {
            Screenshot(name);
        }
        finally
        {
            Driver.ExecuteCdpCommand("Emulation.setEmulatedMedia", new Dictionary<string, object?> { ["features"] = Array.Empty<object>() });
        }
    }

    private void AssertNoConsoleErrors()
    {
        var errors = Driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level >= LogLevel.Severe).Select(e => e.Message).ToList();
        Assert.True(errors.Count == 0, "Browser console errors:\n" + string.Join("\n", errors));
    }
}
