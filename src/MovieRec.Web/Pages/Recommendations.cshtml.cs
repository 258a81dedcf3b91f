using Microsoft.AspNetCore.Mvc.RazorPages;
using MovieRec.Core.Data;
using MovieRec.Web.Hosting;
using MovieRec.Web.Recommendations;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Pages;

/// <summary>Recommendations from the visitor's stored ratings, with an algorithm switcher.</summary>
public sealed class RecommendationsModel(ModelHost host, IRatingStore store, Recommender recommender) : PageModel
{
    /// <summary>The page's default: the hybrid follows a short rating profile most closely and explains itself.</summary>
    public const string DefaultAlgorithm = "hybrid";
    public const int Count = 24;

    /// <summary>The switcher's algorithms in display order, with short names.</summary>
    public static IReadOnlyList<(string Key, string Label)> Choices { get; } =
        [("hybrid", "Hybrid"), ("svd", "SVD"), ("svdpp", "SVD++"), ("knn", "Item kNN"), ("kmeans", "K-Means cluster"), ("content", "Content")];

    public Visitor Visitor { get; private set; } = Visitor.Anonymous;

    public string Algorithm { get; private set; } = DefaultAlgorithm;

    public string? Problem { get; private set; }

    public RecommendationList? List { get; private set; }

    public IReadOnlyList<(RecommendedMovie Item, Movie Movie)> Items { get; private set; } = [];

    public IReadOnlyList<(StoredRating Rating, Movie Movie)> Rated { get; private set; } = [];

    public async Task OnGetAsync(string? algorithm, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrWhiteSpace(algorithm))
        {
            string name = algorithm.Trim().ToLowerInvariant();
            if (ServingModel.Find(name) is not null) Algorithm = name;
            else Problem = $"There is no algorithm called “{algorithm}”; showing {DefaultAlgorithm}.";
        }
        Visitor = await Visitor.LoadAsync(HttpContext, store).ConfigureAwait(false);
        Rated = [.. Visitor.Ratings.Select(r => (r, catalog.Catalog[r.MovieId])).Where(p => p.Item2 is not null).Select(p => (p.r, p.Item2!))];
        if (Visitor.Count == 0) return;
        List = await recommender.ForRatingsAsync([.. Visitor.Ratings.Select(r => new MovieRating(r.MovieId, r.Rating))], Algorithm, Count,
            CandidateFilter.None, Visitor.AccountId, cancellationToken).ConfigureAwait(false);
        Items = [.. List.Items.Select(i => (i, catalog.Catalog[i.MovieId])).Where(p => p.Item2 is not null).Select(p => (p.i, p.Item2!))];
    }
}
