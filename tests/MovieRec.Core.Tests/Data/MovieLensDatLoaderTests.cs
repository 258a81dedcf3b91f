using System.IO.Compression;
using System.Text;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Data;

/// <summary>ml-1m and ml-10m fixtures as their READMEs describe them: "::" separated, no header.</summary>
public class MovieLensDatLoaderTests
{
    private static LoadOptions NoTmdb => new() { IncludeTmdb = false };

    private static void Write1M(TempFolder tmp, string prefix = "")
    {
        tmp.Write(prefix + "ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n2::3952::2::978299000\n");
        // ml-1m movies.dat is Latin-1.
        tmp.Write(prefix + "movies.dat",
            "1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n661::James and the Giant Peach (1996)::Animation|Children's|Musical\n"
            + "3952::Contender, The (2000)::Drama|Thriller\n2::Cité des enfants perdus, La (1995)::Adventure|Sci-Fi\n", Encoding.Latin1);
        tmp.Write(prefix + "users.dat", "1::F::1::10::48067\n2::M::56::16::70072\n");
    }

    private static void Write10M(TempFolder tmp, string prefix = "")
    {
        tmp.Write(prefix + "ratings.dat", "1::122::5::838985046\n1::185::4.5::838983525\n2::122::0.5::868245777\n2::185::3::868245920\n");
        // ml-10m movies.dat is UTF-8.
        tmp.Write(prefix + "movies.dat", "122::Boomerang (1992)::Comedy|Romance\n185::Net, The (1995)::Action|Crime|Thriller\n7::Señorita Extraviada (2001)::Documentary\n");
        tmp.Write(prefix + "tags.dat", "15::185::computer::1138537770\n20::185::hacker::1188263880\n20::122::funny::1188263881\n");
    }

    [Fact]
    public void Ml_1m_reads_latin1_movies_users_and_whole_stars()
    {
        using var tmp = TestData.NewFolder();
        Write1M(tmp);
        var d = DatasetLoader.Load(tmp.Path, NoTmdb);
        Assert.Equal("movielens-1m", d.Format);
        Assert.Equal(4, d.Ratings.Count);
        Assert.Equal(RatingScale.WholeStars, d.Ratings.Scale);
        Assert.Equal(3.5, d.Ratings.GlobalMean, 6);
        Assert.Equal(4, d.Catalog.Count);
        Assert.Equal("La Cité des enfants perdus", d.Catalog[2]!.Title);
        Assert.Equal("The Contender", d.Catalog[3952]!.Title);
        Assert.Equal(["Animation", "Children's", "Musical"], d.Catalog[661]!.Genres);
        Assert.Equal([new UserProfile(1, 1, "F", "K-12 student", "48067"), new UserProfile(2, 56, "M", "self-employed", "70072")], d.UserProfiles);
        Assert.Empty(d.Tags);
    }

    [Fact]
    public void Ml_10m_reads_utf8_movies_tags_and_half_stars()
    {
        using var tmp = TestData.NewFolder();
        Write10M(tmp);
        var d = DatasetLoader.Load(tmp.Path, NoTmdb);
        Assert.Equal("movielens-10m", d.Format);
        Assert.Equal(RatingScale.HalfStars, d.Ratings.Scale);
        Assert.Equal([5f, 4.5f, 0.5f, 3f], d.Ratings.Values);
        Assert.Equal("Señorita Extraviada", d.Catalog[7]!.Title);
        Assert.Equal(3, d.Tags.Count);
        Assert.Equal(["computer", "hacker"], d.Catalog[185]!.Tags);
        Assert.Empty(d.UserProfiles);
    }

    [Fact]
    public void Official_zips_with_their_folders_load()
    {
        using var tmp = TestData.NewFolder();
        Write1M(tmp, "ml-1m/");
        Write10M(tmp, "ml-10M100K/");
        foreach (var (folder, format, count) in new[] { ("ml-1m", "movielens-1m", 4), ("ml-10M100K", "movielens-10m", 3) })
        {
            var zip = Path.Combine(tmp.Path, folder + ".zip");
            ZipFile.CreateFromDirectory(Path.Combine(tmp.Path, folder), zip, CompressionLevel.Fastest, includeBaseDirectory: true);
            var d = DatasetLoader.Load(zip, NoTmdb);
            Assert.Equal(format, d.Format);
            Assert.Equal(count, d.Catalog.Count);
        }
    }

    [Fact]
    public void Latin1_is_detected_beyond_the_first_read_buffer()
    {
        using var tmp = TestData.NewFolder();
        var sb = new StringBuilder();
        for (int i = 1; sb.Length < 70_000; i++) sb.Append(i).Append("::Title number ").Append(i).Append(" (1999)::Drama\n");
        sb.Append("999999::Señorita (2001)::Documentary\n");
        tmp.Write("movies.dat", sb.ToString(), Encoding.Latin1);
        tmp.Write("ratings.dat", "1::1::5::978300760\n");
        tmp.Write("users.dat", "1::F::1::10::48067\n");
        var d = DatasetLoader.Load(tmp.Path, NoTmdb);
        Assert.Equal("Señorita", d.Catalog[999999]!.Title);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Utf8_stays_utf8_when_a_two_byte_character_straddles_the_read_buffer(int shift)
    {
        using var tmp = TestData.NewFolder();
        // Pad so that "ñ" (C3 B1) sits across byte 65536: its first byte is the buffer's last when shift is 0.
        var head = "1::Padding (1999)::Drama\n2::";
        int pad = 65535 - head.Length - shift;
        var text = head + new string('x', pad) + "ñ (2001)::Documentary\n";
        tmp.Write("movies.dat", text);
        tmp.Write("ratings.dat", "1::1::5::838985046\n");
        var d = DatasetLoader.Load(tmp.Path, NoTmdb);
        Assert.EndsWith("ñ", d.Catalog[2]!.Title);
    }

    [Fact]
    public void A_bad_row_names_file_line_and_field_and_lenient_skips_it()
    {
        using var tmp = TestData.NewFolder();
        Write10M(tmp);
        tmp.Write("ratings.dat", "1::122::5::838985046\n1::185::4.25::838983525\nx::122::3::868245777\n");
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(tmp.Path, NoTmdb));
        Assert.EndsWith("ratings.dat", e.File);
        Assert.Equal(2, e.Line);
        Assert.Equal("Rating", e.Field);
        Assert.Contains("step", e.Message);

        var d = DatasetLoader.Load(tmp.Path, NoTmdb with { Lenient = true });
        Assert.Equal(1, d.Ratings.Count);
        Assert.Equal(2, d.Report.Skipped);
        Assert.Contains(d.Report.Examples, m => m.Contains("line 3, field 'UserID'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_users_dat_code_is_reported()
    {
        using var tmp = TestData.NewFolder();
        Write1M(tmp);
        tmp.Write("users.dat", "1::F::1::10::48067\n2::M::56::42::70072\n");
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(tmp.Path, NoTmdb));
        Assert.Equal(2, e.Line);
        Assert.Equal("Occupation", e.Field);
    }

    [Fact]
    public void Ml_latest_small_rewritten_as_dat_files_loads_the_same_ratings_and_titles()
    {
        var csv = TestData.MovieLensSmall;
        using var tmp = TestData.NewFolder();
        var r = csv.Ratings;
        var ratings = new StringBuilder();
        for (int k = 0; k < r.Count; k++)
        {
            ratings.Append(r.UserIds.ToRawNumeric(r.Users[k])).Append("::").Append(r.ItemIds.ToRawNumeric(r.Items[k])).Append("::")
                .Append(r.Values[k].ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("::").Append(r.Timestamps[k]).Append('\n');
        }
        tmp.Write("ratings.dat", ratings.ToString());
        tmp.Write("movies.dat", string.Concat(csv.Catalog.Movies.Select(m =>
            $"{m.Id}::{m.RawTitle}::{(m.Genres.Count == 0 ? "(no genres listed)" : string.Join('|', m.Genres))}\n")));
        var d = DatasetLoader.Load(tmp.Path, NoTmdb);
        Assert.Equal("movielens-10m", d.Format);
        Assert.Equal(100836, d.Ratings.Count);
        Assert.Equal(610, d.Ratings.ActiveUserCount());
        Assert.Equal(9724, d.Ratings.ActiveItemCount());
        Assert.Equal(9742, d.Catalog.Count);
        Assert.Equal(r.GlobalMean, d.Ratings.GlobalMean, 9);
        Assert.Equal(RatingScale.HalfStars, d.Ratings.Scale);
        Assert.All(csv.Catalog.Movies, m => Assert.Equal(m.Title, d.Catalog[m.Id]!.Title));
    }
}
