using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Algorithms.Hybrid;

namespace MovieRec.Core.Tests.Algorithms.Hybrid;

public class ExplainerTests
{
    private static readonly Lazy<Explainer> Shared = new(() => new Explainer(TrainingData.From(TestData.MovieLensSmall)));

    private static int Item(string titleAndYear) => TastePersonas.Item(TestData.MovieLensSmall, titleAndYear);

    [Fact]
    public void A_sequel_is_explained_by_its_director_lead_actors_keyword_and_fans()
    {
        var why = Shared.Value.Explain([new ItemRating(Item("Toy Story|1995"), 5f)], Item("Toy Story 2|1999"));
        Assert.Equal(Item("Toy Story|1995"), why.BecauseOf);
        Assert.StartsWith("because you liked Toy Story: same director (John Lasseter); also starring Tom Hanks and Tim Allen; ", why.Text, StringComparison.Ordinal);
        Assert.Contains(why.Links, l => l.Kind == LinkKind.LikedBySamePeople && l.Lift >= 1.5 && l.Both >= 10);
        // "toy" is inside "toy comes to life": said once.
        Assert.DoesNotContain("\"toy\"", why.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_tags_generic_keywords_and_genres_are_never_reasons()
    {
        var explainer = Shared.Value;
        Assert.False(explainer.IsDistinctive("duringcreditsstinger"));
        Assert.False(explainer.IsDistinctive("woman director"));
        Assert.False(explainer.IsDistinctive("murder")); // on 150 movies: generic
        Assert.False(explainer.IsDistinctive("friendship"));
        Assert.True(explainer.IsDistinctive("serial killer"));
        // TMDB's "transporter" on boxing films is a mislabel: Rocky and Million Dollar Baby share "boxer", not it.
        Assert.False(explainer.IsDistinctive("transporter"));
        var boxing = explainer.Explain([new ItemRating(Item("Rocky|1976"), 5f)], Item("Million Dollar Baby|2004"));
        Assert.Contains("\"boxer\"", boxing.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("transporter", boxing.Text, StringComparison.Ordinal);
        // Iron Man and The Avengers share "duringcreditsstinger" and Marvel's keywords: only the words that say something.
        var why = explainer.Explain([new ItemRating(Item("Iron Man|2008"), 5f)], Item("The Avengers|2012"));
        Assert.DoesNotContain("stinger", why.Text, StringComparison.Ordinal);
        Assert.All(why.Links.Where(l => l.Kind == LinkKind.Keyword), l => Assert.True(Explainer.IsWords(l.Value) && explainer.IsDistinctive(l.Value), l.Value));
        // The issue's "The Shawshank Redemption because you liked The Lion King: drama": no link holds, nothing is said.
        var shawshank = explainer.Explain([new ItemRating(Item("The Lion King|1994"), 5f)], Item("The Shawshank Redemption|1994"));
        Assert.DoesNotContain("drama", shawshank.Text, StringComparison.OrdinalIgnoreCase);
        Assert.All(shawshank.Links, l => Assert.Equal(LinkKind.LikedBySamePeople, l.Kind));
    }

    [Fact]
    public void A_rare_genre_both_have_is_a_reason_a_common_one_never()
    {
        var explainer = Shared.Value;
        // Few people rate documentaries, so no co-liking figure holds between these two; the genre is what they share.
        var corporation = explainer.Explain([new ItemRating(Item("Bowling for Columbine|2002"), 5f)], Item("The Corporation|2003"));
        Assert.Equal(Item("Bowling for Columbine|2002"), corporation.BecauseOf);
        Assert.Contains("both documentaries", corporation.SharedFeatures);
        Assert.Equal(new ExplanationLink(LinkKind.Genre, "Documentary"), Assert.Single(corporation.Links, l => l.Kind == LinkKind.Genre));
        // Dramas and animated films are too many to say (45 % and 6 % of the catalogue).
        var mile = explainer.Explain([new ItemRating(Item("Forrest Gump|1994"), 5f)], Item("The Green Mile|1999"));
        Assert.DoesNotContain(mile.Links, l => l.Kind == LinkKind.Genre);
        var toys = explainer.Explain([new ItemRating(Item("Toy Story|1995"), 5f)], Item("Toy Story 2|1999"));
        Assert.DoesNotContain(toys.Links, l => l.Kind == LinkKind.Genre);
        // A shared keyword that already says it ("spaghetti western") is not repeated as "both westerns".
        var fistful = explainer.Explain([new ItemRating(Item("The Good, the Bad and the Ugly|1966"), 5f)], Item("A Fistful of Dollars|1964"));
        Assert.Contains("spaghetti western", fistful.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("both westerns", fistful.Text, StringComparison.Ordinal);
        Assert.Equal("both film noir", Explainer.GenrePhrase("Film-Noir"));
        Assert.Equal("both k-pop films", Explainer.GenrePhrase("K-Pop"));
    }

    [Fact]
    public void Equally_strong_liked_movies_are_told_apart_by_the_fans_they_share()
    {
        // Five documentaries liked: every documentary shown is "both documentaries" with all five; the one named is
        // the liked one whose fans liked it most, not always the first (each said "because you liked Bowling for Columbine").
        var explainer = Shared.Value;
        ItemRating[] liked = [.. new[] { "Bowling for Columbine|2002", "Super Size Me|2004", "March of the Penguins|2005", "An Inconvenient Truth|2006", "Fahrenheit 9/11|2004" }
            .Select(t => new ItemRating(Item(t), 5f))];
        var named = new HashSet<int>();
        foreach (var title in new[] { "The Corporation|2003", "Spellbound|2002", "Enron: The Smartest Guys in the Room|2005", "The King of Kong|2007", "This Film Is Not Yet Rated|2006" })
        {
            int item = Item(title);
            var why = explainer.Explain(liked, item);
            int because = Assert.IsType<int>(why.BecauseOf);
            named.Add(because);
            double top = liked.Max(r => explainer.StrengthOf(r.Item, item));
            Assert.Equal(top, explainer.StrengthOf(because, item));
            int shared = liked.Where(r => explainer.StrengthOf(r.Item, item) == top).Max(r => explainer.LikedBoth(r.Item, item));
            Assert.Equal(shared, explainer.LikedBoth(because, item));
        }
        Assert.True(named.Count > 1, "every documentary named the same liked movie");
    }

    [Fact]
    public void Only_a_liked_movie_is_a_reason_and_no_link_means_no_reason()
    {
        var explainer = Shared.Value;
        // Disliked: The Dark Knight at 1 star never explains Batman Begins.
        var disliked = explainer.Explain([new ItemRating(Item("The Dark Knight|2008"), 1f), new ItemRating(Item("Notting Hill|1999"), 5f)], Item("Batman Begins|2005"));
        Assert.NotEqual(Item("The Dark Knight|2008"), disliked.BecauseOf);
        var liked = explainer.Explain([new ItemRating(Item("The Dark Knight|2008"), 4.5f)], Item("Batman Begins|2005"));
        Assert.Equal(Item("The Dark Knight|2008"), liked.BecauseOf);
        Assert.Contains("same director (Christopher Nolan)", liked.SharedFeatures);
        // Nothing in common with an obscure documentary: an empty explanation rather than an invented one.
        var none = explainer.Explain([new ItemRating(Item("Toy Story|1995"), 5f)], Item("Microcosmos (Microcosmos: Le peuple de l'herbe)|1996"));
        Assert.Same(Explanation.None, none);
        Assert.Equal("", none.Text);
        Assert.Same(Explanation.None, explainer.Explain([], Item("Toy Story|1995")));
    }

    [Fact]
    public void Co_liking_figures_are_recounted_from_the_ratings()
    {
        var d = TestData.MovieLensSmall;
        var explainer = Shared.Value;
        int source = Item("The Lion King|1994"), target = Item("Aladdin|1992");
        var link = Assert.Single(explainer.Links(source, target), l => l.Kind == LinkKind.LikedBySamePeople);
        var (both, likedSource, lift) = Recount(d.Ratings, source, target);
        Assert.Equal(both, link.Both);
        Assert.Equal(likedSource, link.LikedSource);
        Assert.Equal(lift, link.Lift, 9);
        Assert.Contains($"{both} of the {likedSource} people who liked it also liked this", Explainer.Phrases([link])[0], StringComparison.Ordinal);
    }

    /// <summary>Users who liked both, users who liked the source, and the lift, straight from the rating arrays.</summary>
    internal static (int Both, int LikedSource, double Lift) Recount(Core.Data.RatingDataset ratings, int source, int target)
    {
        float threshold = Likes.Threshold(ratings.Scale);
        var fansOfSource = new HashSet<int>();
        var fansOfTarget = new HashSet<int>();
        var users = new HashSet<int>();
        for (int k = 0; k < ratings.Count; k++)
        {
            users.Add(ratings.Users[k]);
            if (ratings.Values[k] < threshold) continue;
            if (ratings.Items[k] == source) fansOfSource.Add(ratings.Users[k]);
            if (ratings.Items[k] == target) fansOfTarget.Add(ratings.Users[k]);
        }
        int both = fansOfSource.Count(fansOfTarget.Contains);
        double lift = (double)both / fansOfSource.Count / ((double)fansOfTarget.Count / users.Count);
        return (both, fansOfSource.Count, lift);
    }

    [Fact]
    public void Co_liking_counts_are_exact_whether_the_likers_are_lists_or_bitsets()
    {
        // Popular movies keep their likers as a bitset, the rest as sorted lists: every pairing of the two must count
        // the same users a plain recount of the ratings does.
        var data = TrainingData.From(TestData.MovieLensSmall);
        var explainer = Shared.Value;
        var ratings = data.Ratings;
        float threshold = Likes.Threshold(ratings.Scale);
        var likers = new HashSet<int>[ratings.ItemCount];
        for (int i = 0; i < ratings.ItemCount; i++)
        {
            likers[i] = [];
            var users = ratings.ByItem.RowColumns(i);
            var values = ratings.ByItem.RowValues(i);
            for (int k = 0; k < users.Length; k++)
            {
                if (values[k] >= threshold) likers[i].Add(users[k]);
            }
        }
        var popular = Enumerable.Range(0, ratings.ItemCount).OrderByDescending(i => ratings.ByItem.RowLength(i)).Take(300).ToArray();
        var rng = new Random(7);
        var kinds = new int[3];
        for (int t = 0; t < 20_000; t++)
        {
            // A third of the pairs any two movies, a third one of them among the 300 most rated, a third both: every
            // pairing (list and list, list and bitset, bitset and bitset) comes up often.
            int a = t % 3 == 2 ? popular[rng.Next(popular.Length)] : rng.Next(ratings.ItemCount);
            int b = t % 3 == 0 ? rng.Next(ratings.ItemCount) : popular[rng.Next(popular.Length)];
            kinds[(explainer.LikersAsBitset(a) ? 1 : 0) + (explainer.LikersAsBitset(b) ? 1 : 0)]++;
            Assert.Equal(likers[a].Count, explainer.LikeCount(a));
            int expected = 0;
            foreach (int u in likers[a]) expected += likers[b].Contains(u) ? 1 : 0;
            Assert.Equal(expected, explainer.LikedBoth(a, b));
            Assert.Equal(expected, explainer.LikedBoth(b, a));
        }
        Assert.All(kinds, k => Assert.True(k > 100, string.Join(", ", kinds)));
    }

    [Fact]
    public void The_winning_liked_movie_is_weighed_without_building_its_links()
    {
        // Explain weighs every liked movie by StrengthOf and builds only the winner's links: the weight must be the
        // very double the built links give, for every kind of link.
        var explainer = Shared.Value;
        var data = TrainingData.From(TestData.MovieLensSmall);
        var ratings = data.Ratings;
        var popular = Enumerable.Range(0, ratings.ItemCount).OrderByDescending(i => ratings.ByItem.RowLength(i)).Take(300).ToArray();
        var kinds = new int[Enum.GetValues<LinkKind>().Length];
        int none = 0;
        foreach (int a in popular)
        {
            foreach (int b in popular)
            {
                if (a == b) continue;
                var links = explainer.Links(a, b);
                Assert.Equal(Explainer.Strength(links), explainer.StrengthOf(a, b));
                if (links.Count == 0) none++;
                else
                {
                    // The text is written in one builder: the same words as the phrases joined.
                    var why = explainer.Explain([new ItemRating(a, 5)], b);
                    Assert.Equal($"because you liked {data.MovieOf(a)!.ShortTitle}: {string.Join("; ", Explainer.Phrases(links))}", why.Text);
                    Assert.Equal(links, why.Links);
                }
                foreach (var link in links) kinds[(int)link.Kind]++;
            }
        }
        Assert.True(none > 1000, $"{none} pairs without a link");
        Assert.All(kinds, k => Assert.True(k >= 20, string.Join(", ", kinds)));
    }

    [Theory]
    [InlineData("psychology", "psychological", true)]
    [InlineData("android", "androids", true)]
    [InlineData("vampire", "vampires", true)]
    [InlineData("space", "spaceship", false)]
    [InlineData("prison", "prisoner of war", false)]
    [InlineData("police", "politics", false)]
    [InlineData("superhero", "superhuman", false)]
    public void Two_forms_of_one_word_are_one_keyword(string a, string b, bool same)
    {
        Assert.Equal(same, Explainer.OneWord(a, b));
        Assert.Equal(same, Explainer.OneWord(b, a));
    }

    [Fact]
    public void One_word_is_said_once_in_whichever_form()
    {
        // Memento and Donnie Darko: both carry "psychology" and "psychological" (tags in TMDB's words).
        var explainer = Shared.Value;
        var why = explainer.Explain([new(Item("Memento|2000"), 5)], Item("Donnie Darko|2001"));
        Assert.False(why.Text.Contains("\"psychology\"", StringComparison.Ordinal) && why.Text.Contains("\"psychological\"", StringComparison.Ordinal), why.Text);
    }

    [Fact]
    public void A_keyword_inside_another_is_found_by_whole_words()
    {
        // ContainsWords searches " inner " in " outer " without building either string: the same answer for any words.
        string[] words = ["toy", "toys", "life", "to", "comes", "o", "", "toy comes"];
        var rng = new Random(3);
        for (int t = 0; t < 5_000; t++)
        {
            string outer = string.Join(' ', Enumerable.Range(0, rng.Next(0, 5)).Select(_ => words[rng.Next(words.Length)]));
            string inner = string.Join(' ', Enumerable.Range(0, rng.Next(1, 3)).Select(_ => words[rng.Next(words.Length)]));
            bool expected = (" " + outer + " ").Contains(" " + inner + " ", StringComparison.Ordinal);
            Assert.True(expected == Explainer.ContainsWords(outer, inner), $"\"{outer}\" / \"{inner}\"");
        }
        Assert.True(Explainer.ContainsWords("toy comes to life", "toy"));
        Assert.False(Explainer.ContainsWords("toys", "toy"));
    }
}
