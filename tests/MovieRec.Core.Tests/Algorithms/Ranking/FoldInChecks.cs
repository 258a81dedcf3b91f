using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.Ranking;

/// <summary>Checks shared by the ranking models' tests.</summary>
internal static class FoldInChecks
{
    /// <summary>
    /// A training user folded in from their own ratings (given newest-first, so the order cannot matter) gets exactly
    /// the scores the model gives them as a known user.
    /// </summary>
    public static void Folding_in_a_training_user_gives_their_in_training_scores(IRecommender model, RatingDataset train, params int[] users)
    {
        var inTraining = new float[model.ItemCount];
        var foldedScores = new float[model.ItemCount];
        foreach (int user in users)
        {
            var ratings = train.ByUser.RowColumns(user).ToArray().Zip(train.ByUser.RowValues(user).ToArray(), (i, r) => new ItemRating(i, r)).Reverse().ToArray();
            model.Score(user, inTraining);
            model.Score(model.FoldIn(ratings), foldedScores);
            Assert.Equal(inTraining, foldedScores);
        }
    }
}
