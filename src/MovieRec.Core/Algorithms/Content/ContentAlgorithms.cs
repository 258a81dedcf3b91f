using MovieRec.Core.Algorithms.Hybrid;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>Registry entries for the catalog-based models: content and the hybrid.</summary>
public static class ContentAlgorithms
{
    public static IEnumerable<AlgorithmInfo> All =>
    [
        new("content", "Content-based top-N: cosine of cast, director x3, genres and keywords to the user's rated movies.",
            p => new ContentRecommender(new ContentRecommenderOptions { Neighbours = p.Int("neighbours", 50) }), PredictsRatings: false),
        new("hybrid", "Weighted hybrid of a collaborative model (EASE), content similarity and popularity, with explanations (Burke 2002).",
            p => new HybridRecommender(new HybridOptions
            {
                Collaborative = p.String("collaborative", "ease"),
                CollaborativeWeight = p.Double("cf_weight", 1.0),
                ContentWeight = p.Double("content_weight", 0.05),
                PopularityWeight = p.Double("popularity_weight", 0.05),
            }), PredictsRatings: false),
    ];
}
