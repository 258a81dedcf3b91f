using System.IO.Compression;
using System.Text;
using MovieRec.Core.Data;
using MovieRec.Core.Data.Import;

namespace MovieRec.Core.Tests.Data;

public class RatingsImporterTests
{
    private static readonly Movie[] Movies =
    [
        new(1, "Toy Story (1995)", ["Animation"]) { ImdbId = 114709, TmdbId = 862 },
        new(2, "Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)", ["Comedy"]) { ImdbId = 211915 },
        new(3, "400 Blows, The (Les quatre cents coups) (1959)", ["Drama"]),
        new(4, "Hate (Haine, La) (1995)", ["Drama"]),
        new(5, "Heat (1995)", ["Crime"]),
        new(6, "Heat (1986)", ["Action"]),
        new(7, "Shawshank Redemption, The (1994)", ["Drama"]),
        new(8, "Seven (a.k.a. Se7en) (1995)", ["Thriller"]),
        new(9, "Hamlet (1990)", ["Drama"]),
        new(10, "Hamlet (1990)", ["Drama"]),
        new(11, "Harold and Kumar Go to White Castle (2004)", ["Comedy"]),
    ];

    private static RatingsImporter Importer() =>
        new(Movies, RatingScale.HalfStars, id => long.TryParse(id, out long key) ? Movies.FirstOrDefault(m => m.Id == key) : null);

    private static RatingsImport Read(string csv) => Importer().Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "ratings.csv");

    [Fact]
    public void An_imdb_export_matches_by_tt_id_halves_its_ten_points_and_keeps_the_dates()
    {
        var import = Read("""
            Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors
            tt0114709,10,2024-03-01,Toy Story,Toy Story,https://www.imdb.com/title/tt0114709,Movie,8.3,81,1995,"Animation, Adventure",1100000,1995-11-22,John Lasseter
            tt0211915,7,2024-02-01,Amélie,Le fabuleux destin d'Amélie Poulain,https://www.imdb.com/title/tt0211915,Movie,8.3,122,2001,"Comedy, Romance",800000,2001-04-25,Jean-Pierre Jeunet
            tt0903747,9,2024-01-01,Breaking Bad,Breaking Bad,https://www.imdb.com/title/tt0903747,TV Series,9.5,49,2008,"Crime, Drama",2100000,2008-01-20,
            tt0113277,8,2024-01-02,Heat,Heat,https://www.imdb.com/title/tt0113277,Movie,8.3,170,1995,"Action, Crime",700000,1995-12-15,Michael Mann
            """);
        Assert.Equal("imdb", import.Format);
        Assert.Equal(4, import.Rows);
        Assert.Equal([(1L, 5f), (2L, 3.5f), (5L, 4f)], import.Ratings.Select(r => (r.Movie.Id, r.Rating)));
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero), import.Ratings[0].RatedAt);
        // Heat has no IMDb id in this catalogue: found by its title and year. Breaking Bad is not a movie of it.
        var unmatched = Assert.Single(import.Unmatched);
        Assert.Equal(4, unmatched.Line);
        Assert.Equal("Breaking Bad (2008)", unmatched.Movie);
        Assert.Contains("no movie of this title", unmatched.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_letterboxd_export_matches_by_title_and_year_in_any_of_the_titles_a_movie_goes_by()
    {
        var import = Read("""
            Date,Name,Year,Letterboxd URI,Rating
            2023-01-01,The 400 Blows,1959,https://boxd.it/1,4.5
            2023-01-02,La Haine,1995,https://boxd.it/2,4
            2023-01-03,Heat,1995,https://boxd.it/3,5
            2023-01-04,Se7en,1995,https://boxd.it/4,3.5
            2023-01-05,Amélie,2001,https://boxd.it/5,3
            2023-01-06,The Shawshank Redemption,1994,https://boxd.it/6,0.5
            2023-01-07,Shawshank Redemption,1995,https://boxd.it/7,1
            2023-01-08,Heat,2000,https://boxd.it/8,2
            2023-01-09,Hamlet,1990,https://boxd.it/9,2
            2023-01-10,Heat,,https://boxd.it/10,2
            2023-01-11,Unknown Film,2010,https://boxd.it/11,2
            2023-01-12,Harold & Kumar Go to White Castle,2004,https://boxd.it/12,2.5
            """);
        Assert.Equal("letterboxd", import.Format);
        Assert.Equal(12, import.Rows);
        // Shawshank twice (the year one off still finds it): the later row counts.
        Assert.Equal([(3L, 4.5f), (4L, 4f), (5L, 5f), (8L, 3.5f), (2L, 3f), (7L, 1f), (11L, 2.5f)], import.Ratings.Select(r => (r.Movie.Id, r.Rating)));
        Assert.Equal(1, import.Repeated);
        Assert.Equal([9L, 10L, 11L, 12L], import.Unmatched.Select(u => u.Line));
        Assert.Contains("from 1995, 1986", import.Unmatched[0].Why, StringComparison.Ordinal);
        Assert.Contains("2 movies of this title and year", import.Unmatched[1].Why, StringComparison.Ordinal);
        Assert.Contains("give the year", import.Unmatched[2].Why, StringComparison.Ordinal);
        Assert.Equal("Unknown Film (2010)", import.Unmatched[3].Movie);
    }

    [Fact]
    public void A_diary_keeps_the_latest_rewatch_and_lists_the_films_logged_without_a_rating()
    {
        var import = Read("""
            Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date
            2023-05-01,Heat,1995,https://boxd.it/a,5,Yes,,2023-05-01
            2021-05-01,Heat,1995,https://boxd.it/b,3,,,2021-05-01
            2022-05-01,Toy Story,1995,https://boxd.it/c,,,,2022-05-01
            2022-06-01,Heat,1995,https://boxd.it/d,,Yes,,2022-06-01
            2022-07-01,Unknown Film,2010,https://boxd.it/e,,,,2022-07-01
            """);
        var heat = Assert.Single(import.Ratings);
        Assert.Equal(5f, heat.Rating);
        Assert.Equal(1, import.Repeated);
        Assert.Equal(3, import.Unrated);
        // Seen without stars: Toy Story (Heat has a rating elsewhere; an unknown film is not a mistake of the row).
        var seen = Assert.Single(import.WatchedUnrated);
        Assert.Equal((1L, 4L), (seen.Movie.Id, seen.Line));
        Assert.Equal(new DateTimeOffset(2022, 5, 1, 0, 0, 0, TimeSpan.Zero), seen.AddedAt);
        Assert.Empty(import.Unmatched);
        // An IMDb export's empty rating is a film not rated, not one seen.
        Assert.Empty(Read("Const,Your Rating,Title,Year\ntt0114709,,Toy Story,1995\n").WatchedUnrated);
    }

    [Fact]
    public void A_plain_csv_matches_by_movie_id_and_reads_movielens_timestamps()
    {
        var import = Read("userId,movieId,rating,timestamp\n7,1,4.5,964982703\n7,7,3,964982224\n7,999,2,964982224\n");
        Assert.Equal("csv", import.Format);
        Assert.Equal([(1L, 4.5f), (7L, 3f)], import.Ratings.Select(r => (r.Movie.Id, r.Rating)));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(964982703), import.Ratings[0].RatedAt);
        Assert.Contains("no movie with id 999", Assert.Single(import.Unmatched).Why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Const,Your Rating,Title\ntt0114709,10,Toy Story\ntt0113277,11,Heat\n", "ratings.csv, line 3", "Your Rating")]
    [InlineData("Name,Year,Rating\nHeat,1995,4.25\n", "ratings.csv, line 2", "Rating")]
    [InlineData("Name,Year,Rating\nHeat,1995,great\n", "ratings.csv, line 2", "'great' is not a number")]
    [InlineData("Name,Year,Rating\nHeat,nineteen,4\n", "ratings.csv, line 2", "Year")]
    [InlineData("Name,Year,Comment\nHeat,1995,good\n", "ratings.csv, line 1", "no rating column")]
    [InlineData("Director,Rating\nMann,4\n", "ratings.csv, line 1", "no movie column")]
    [InlineData("userId,movieId,rating\n1,1,4\n2,7,3\n", "ratings.csv, line 3", "one person's ratings")]
    [InlineData("movieId,title,rating\n1,Toy Story,4\n7\n", "ratings.csv, line 3", "has 1 field")]
    [InlineData("Const,Your Rating,Title\nmovie,8,Heat\n", "ratings.csv, line 2", "not an IMDb id")]
    [InlineData("Name,Year,Rating,Date\nHeat,1995,4,yesterday\n", "ratings.csv, line 2", "not a date")]
    [InlineData("", "ratings.csv", "is empty")]
    [InlineData("Date,Name,Year,Letterboxd URI\n2023-01-01,Heat,1995,https://boxd.it/3\n", "ratings.csv, line 1", "a list without ratings")]
    public void A_malformed_export_is_an_error_naming_the_line_and_the_column(string csv, string where, string what)
    {
        var e = Assert.Throws<DataFormatException>(() => Read(csv));
        Assert.Contains(where, e.Message, StringComparison.Ordinal);
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
    }

    private static MovieListImport ReadList(string csv, string file = "watchlist.csv") => Importer().ReadList(new MemoryStream(Encoding.UTF8.GetBytes(csv)), file);

    [Fact]
    public void A_letterboxd_watchlist_is_read_as_a_list_of_movies_with_the_dates_added()
    {
        var list = ReadList("""
            Date,Name,Year,Letterboxd URI
            2024-05-01,La Haine,1995,https://boxd.it/2
            2024-05-02,Heat,1986,https://boxd.it/3
            2024-05-03,Heat,1986,https://boxd.it/3
            2024-05-04,Unknown Film,2010,https://boxd.it/11
            """);
        Assert.Equal("letterboxd", list.Format);
        Assert.Equal(4, list.Rows);
        Assert.Equal([4L, 6L], list.Movies.Select(m => m.Movie.Id));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero), list.Movies[0].AddedAt);
        Assert.Equal(1, list.Repeated);
        Assert.Equal(5, Assert.Single(list.Unmatched).Line);
    }

    [Fact]
    public void An_imdb_watchlist_matches_by_tt_id_and_leaves_its_empty_rating_column_alone()
    {
        var list = ReadList("""
            Position,Const,Created,Modified,Description,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors,Your Rating,Date Rated
            1,tt0114709,2024-01-05,2024-01-05,,Toy Story,Toy Story,https://www.imdb.com/title/tt0114709/,Movie,8.3,81,1995,Animation,1100000,1995-11-22,John Lasseter,,
            2,tt0113277,2024-01-06,2024-01-06,,Heat,Heat,https://www.imdb.com/title/tt0113277/,Movie,8.3,170,1995,Crime,700000,1995-12-15,Michael Mann,9,2024-02-01
            """);
        Assert.Equal("imdb", list.Format);
        Assert.Equal([1L, 5L], list.Movies.Select(m => m.Movie.Id));
        Assert.Equal(new DateTimeOffset(2024, 1, 6, 0, 0, 0, TimeSpan.Zero), list.Movies[1].AddedAt);
        Assert.Empty(list.Unmatched);
    }

    [Theory]
    [InlineData("Comment,Stars\ngood,4\n", "watchlist.csv, line 1", "no movie column")]
    [InlineData("Name,Year\nHeat,nineteen\n", "watchlist.csv, line 2", "Year")]
    [InlineData("Name,Year,Date\nHeat\n", "watchlist.csv, line 2", "has 1 field")]
    [InlineData("", "watchlist.csv", "is empty")]
    public void A_malformed_list_is_an_error_naming_the_line_and_the_column(string csv, string where, string what)
    {
        var e = Assert.Throws<DataFormatException>(() => ReadList(csv));
        Assert.Contains(where, e.Message, StringComparison.Ordinal);
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
    }

    private static byte[] Zip(params (string Name, string Text)[] entries)
    {
        var bytes = new MemoryStream();
        using (var zip = new ZipArchive(bytes, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(Encoding.UTF8.GetBytes(text));
            }
        }
        return bytes.ToArray();
    }

    [Fact]
    public void A_letterboxd_export_zip_gives_its_ratings_and_its_watchlist()
    {
        var zip = Zip(("profile.csv", "Date Joined,Username\n2020-01-01,someone\n"),
            ("ratings.csv", "Date,Name,Year,Letterboxd URI,Rating\n2023-01-01,Heat,1995,https://boxd.it/3,5\n"),
            ("watchlist.csv", "Date,Name,Year,Letterboxd URI\n2024-05-01,La Haine,1995,https://boxd.it/2\n"),
            ("watched.csv", "Date,Name,Year,Letterboxd URI\n2023-01-01,Heat,1995,https://boxd.it/3\n"));
        Assert.True(ExportArchive.IsZip(zip));
        Assert.False(ExportArchive.IsZip("Date,Name"u8));
        var archive = ExportArchive.Read(new MemoryStream(zip), "letterboxd-someone.zip");
        Assert.Equal("letterboxd-someone.zip/ratings.csv", archive.RatingsName);
        var ratings = Importer().Read(new MemoryStream(archive.Ratings), archive.RatingsName);
        Assert.Equal([(5L, 5f)], ratings.Ratings.Select(r => (r.Movie.Id, r.Rating)));
        var watchlist = Importer().ReadList(new MemoryStream(archive.Watchlist!), archive.WatchlistName);
        Assert.Equal([4L], watchlist.Movies.Select(m => m.Movie.Id));
        Assert.Equal("letterboxd-someone.zip/watched.csv", archive.WatchedName);
        Assert.Equal([5L], Importer().ReadList(new MemoryStream(archive.Watched!), archive.WatchedName).Movies.Select(m => m.Movie.Id));

        // Re-zipped by hand into a folder: found there too; no watchlist is no watchlist.
        var nested = ExportArchive.Read(new MemoryStream(Zip(("export/ratings.csv", "Name,Year,Rating\nHeat,1995,4\n"))), "mine.zip");
        Assert.Null(nested.Watchlist);
        Assert.Null(nested.Watched);
    }

    [Fact]
    public void A_zip_without_ratings_or_not_a_zip_at_all_is_an_error_naming_the_file()
    {
        var e = Assert.Throws<DataFormatException>(() => ExportArchive.Read(new MemoryStream(Zip(("watched.csv", "Date,Name\n"))), "export.zip"));
        Assert.Contains("export.zip", e.Message, StringComparison.Ordinal);
        Assert.Contains("no ratings.csv", e.Message, StringComparison.Ordinal);
        var broken = Zip(("ratings.csv", "Name,Year,Rating\n"))[..30];
        e = Assert.Throws<DataFormatException>(() => ExportArchive.Read(new MemoryStream(broken), "export.zip"));
        Assert.Contains("not a readable zip archive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_whose_ratings_inflate_past_the_limit_is_refused_before_they_are_held()
    {
        // 33 MiB of one repeated line deflates to a few tens of KiB: a small upload that would inflate without end.
        var line = "2023-01-01,Heat,1995,https://boxd.it/3,5\n";
        var text = new StringBuilder("Date,Name,Year,Letterboxd URI,Rating\n");
        while (text.Length <= ExportArchive.MaxEntryBytes) text.Append(line);
        var zip = Zip(("ratings.csv", text.ToString()));
        Assert.True(zip.Length < 1 << 20);
        var e = Assert.Throws<DataFormatException>(() => ExportArchive.Read(new MemoryStream(zip), "bomb.zip"));
        Assert.Contains("inflates to more than 32 MiB", e.Message, StringComparison.Ordinal);
    }
}
