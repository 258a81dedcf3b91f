using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms;

/// <summary>
/// New users who rate five movies at 5 stars (titles with their years: "Psycho" alone is also the 1998 remake), and
/// the genres their list should mostly be in.
/// </summary>
public static class TastePersonas
{
    public sealed record Persona(string Name, string[] Movies, string[] Genres);

    public static Persona Horror { get; } = new("horror",
        ["The Shining|1980", "Psycho|1960", "The Exorcist|1973", "Halloween|1978", "A Nightmare on Elm Street|1984"], ["Horror", "Thriller"]);

    public static Persona Animation { get; } = new("animation",
        ["Toy Story|1995", "The Lion King|1994", "Finding Nemo|2003", "Monsters, Inc.|2001", "Up|2009"], ["Animation", "Children"]);

    /// <summary>Dramas without action: their list should be dramas, hardly any action.</summary>
    public static Persona DramaNotAction { get; } = new("drama-but-not-action",
        ["The Shawshank Redemption|1994", "Forrest Gump|1994", "Schindler's List|1993", "Good Will Hunting|1997", "Dead Poets Society|1989"], ["Drama"]);

    /// <summary>Our own: crime classics.</summary>
    public static Persona Crime { get; } = new("crime",
        ["Pulp Fiction|1994", "Reservoir Dogs|1992", "Goodfellas|1990", "The Godfather|1972", "Fargo|1996"], ["Crime", "Thriller"]);

    /// <summary>Our own: romantic comedies.</summary>
    public static Persona RomCom { get; } = new("romantic comedy",
        ["When Harry Met Sally...|1989", "Notting Hill|1999", "Pretty Woman|1990", "Sleepless in Seattle|1993", "You've Got Mail|1998"], ["Romance", "Comedy"]);

    public static IReadOnlyList<Persona> All { get; } = [Horror, Animation, DramaNotAction, Crime, RomCom];

    /// <summary>The persona's movies rated 5 stars, as dense item ids of <paramref name="dataset"/>.</summary>
    public static ItemRating[] Ratings(Dataset dataset, Persona persona) =>
        [.. persona.Movies.Select(m => new ItemRating(Item(dataset, m), 5f))];

    /// <summary>The dense item id of "Title|year".</summary>
    public static int Item(Dataset dataset, string titleAndYear)
    {
        var parts = titleAndYear.Split('|');
        int year = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var movie = dataset.Catalog.FindByTitle(parts[0]).Single(m => m.Year == year);
        int item = dataset.Ratings.ItemIds.ToDense(movie.Id);
        Assert.True(item >= 0, $"{titleAndYear} has no ratings");
        return item;
    }

    /// <summary>The top <paramref name="k"/> for the persona through the service's fold-in path.</summary>
    public static int[] TopFor(IRecommender model, Dataset dataset, Persona persona, int k = 10) =>
        [.. NewUserRecommendations.Recommend(model, Ratings(dataset, persona), dataset.Ratings.Scale, k, TieBreak.ByTrainingRatings(dataset.Ratings)).Select(s => s.Item)];

    /// <summary>How many of <paramref name="items"/> have at least one of <paramref name="genres"/>.</summary>
    public static int InGenres(Dataset dataset, IEnumerable<int> items, IEnumerable<string> genres)
    {
        var set = genres.ToHashSet(StringComparer.Ordinal);
        return items.Count(i => dataset.MovieOf(i)?.Genres.Any(set.Contains) == true);
    }

    public static string Describe(Dataset dataset, IEnumerable<int> items) =>
        string.Join("; ", items.Select(i => $"{dataset.MovieOf(i)} [{string.Join(",", dataset.MovieOf(i)?.Genres ?? [])}]"));
}
