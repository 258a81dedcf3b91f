using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Hybrid;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.Hybrid;

/// <summary>
/// The vectorised z-score (columns without NaN, every request) agrees with the plain definition, and columns with
/// values a member cannot score still take the scalar path (unscored items get the column's minimum).
/// </summary>
public sealed class TasteFeatureSpeedPathTests
{
    private static float[] Reference(float[] column)
    {
        var finite = column.Where(float.IsFinite).Select(v => (double)v).ToArray();
        double mean = finite.Average(), sd = Math.Sqrt(finite.Select(v => v * v).Average() - mean * mean);
        float scale = (float)(1 / sd);
        float floor = (float)((finite.Min() - mean) * scale);
        return [.. column.Select(v => float.IsFinite(v) ? (float)((v - mean) * scale) : floor)];
    }

    [Theory]
    [InlineData(9724, false)]
    [InlineData(13, false)]
    [InlineData(9724, true)]
    [InlineData(8, true)]
    public void Z_scores_match_the_definition(int length, bool withNaN)
    {
        var rng = new Random(length);
        var column = new float[length];
        for (int i = 0; i < length; i++) column[i] = (float)(rng.NextDouble() * 7 - 2);
        if (withNaN) column[length / 2] = float.NaN;
        var expected = Reference(column);
        TasteFeatures.ZScore(column);
        for (int i = 0; i < length; i++) Assert.Equal(expected[i], column[i], 1e-5f);
        double mean = column.Where((_, i) => !withNaN || i != length / 2).Average(v => (double)v);
        Assert.InRange(mean, -1e-5, 1e-5);
    }

    [Theory]
    [InlineData(9724)]
    [InlineData(13)]
    public void Closeness_matches_the_per_movie_formula(int length)
    {
        var rng = new Random(length);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = i % 7 == 3 ? float.NaN : (float)(1990 + rng.NextDouble() * 30);
        var column = new float[length];
        TasteFeatures.Closeness(values, 2004.3f, -20, column);
        for (int i = 0; i < length; i++) Assert.Equal(float.IsNaN(values[i]) ? -20 : -MathF.Abs(values[i] - 2004.3f), column[i]);
    }

    [Fact]
    public void A_constant_column_becomes_zeros()
    {
        var column = Enumerable.Repeat(3.5f, 100).ToArray();
        TasteFeatures.ZScore(column);
        Assert.All(column, v => Assert.Equal(0f, v));
    }
}

/// <summary>
/// The service computes taste's features into a pooled buffer that still holds the last request's values: every
/// column must be written, the ones a request has nothing for (no members, nothing disliked) included.
/// </summary>
public sealed class TasteFeaturePooledBufferTests
{
    [Fact]
    public void A_reused_buffer_gives_the_same_features_as_a_fresh_one()
    {
        var data = TrainingData.From(TestData.MovieLensSmall);
        var features = new TasteFeatures(data, [], mostRated: 100);
        var ids = data.Ratings.ItemIds;
        ItemRating R(long movieId, float rating) => new(ids.ToDense(movieId), rating);
        ItemRating[] liked = [R(1, 5), R(364, 5), R(6377, 4.5f)];
        ItemRating[] disliked = [R(1036, 1), R(589, 1)];
        var buffer = new float[TasteFeatures.Count * features.ItemCount + 7];
        Array.Fill(buffer, float.NaN);
        features.Compute(liked, disliked, [.. liked, .. disliked], buffer);
        Assert.Equal(features.Compute(liked, disliked, [.. liked, .. disliked]), buffer[..^7]);
        // The next request dislikes nothing: the dislike columns must not keep the last request's values.
        features.Compute(liked, [], liked, buffer);
        var fresh = features.Compute(liked, [], liked);
        Assert.Equal(fresh, buffer[..^7]);
        Assert.DoesNotContain(fresh, float.IsNaN);
    }
}

/// <summary>
/// The rating-similarity feature (kept rows for the costliest sources, the others scattered together) gives the floats
/// of its plain definition: per source, every rater's ratings scattered in ascending user order, then
/// Σ_s acc / (‖s‖ ‖i‖) · n / (n + 10) added source by source.
/// </summary>
public sealed class TasteRatingSimilarityTests
{
    private static float[] Reference(RatingDataset train, ItemRating[] sources)
    {
        var byUser = train.ByUser;
        var byItem = train.ByItem;
        var perRating = new float[train.Count];
        var centredByUser = new float[byUser.NonZeros];
        for (int u = 0; u < byUser.Rows; u++)
        {
            var values = byUser.RowValues(u);
            if (values.IsEmpty) continue;
            float mean = System.Numerics.Tensors.TensorPrimitives.Sum(values) / values.Length;
            for (int p = byUser.Offsets[u]; p < byUser.Offsets[u + 1]; p++)
            {
                centredByUser[p] = byUser.Values[p] - mean;
                perRating[byUser.RatingIndex[p]] = centredByUser[p];
            }
        }
        var norms = new float[byItem.Rows];
        for (int i = 0; i < byItem.Rows; i++)
        {
            double sum = 0;
            for (int p = byItem.Offsets[i]; p < byItem.Offsets[i + 1]; p++) sum += (double)perRating[byItem.RatingIndex[p]] * perRating[byItem.RatingIndex[p]];
            norms[i] = (float)Math.Sqrt(sum);
        }
        int n = train.ItemCount;
        var column = new float[n];
        foreach (var s in sources)
        {
            if (norms[s.Item] == 0) continue;
            var acc = new float[n];
            var common = new int[n];
            for (int p = byItem.Offsets[s.Item]; p < byItem.Offsets[s.Item + 1]; p++)
            {
                int u = byItem.Columns[p];
                float cs = perRating[byItem.RatingIndex[p]];
                for (int q = byUser.Offsets[u]; q < byUser.Offsets[u + 1]; q++)
                {
                    acc[byUser.Columns[q]] += cs * centredByUser[q];
                    common[byUser.Columns[q]]++;
                }
            }
            for (int i = 0; i < n; i++)
            {
                if (common[i] == 0 || norms[i] == 0 || i == s.Item) continue;
                column[i] += acc[i] / (norms[s.Item] * norms[i]) * (common[i] / (common[i] + 10f));
            }
        }
        return column;
    }

    [Fact]
    public void Kept_rows_and_scattered_sources_give_the_plain_loops_floats()
    {
        var data = TrainingData.From(TestData.MovieLensSmall);
        var train = data.Ratings;
        var features = new TasteFeatures(data, [], mostRated: 100);
        var byCount = Enumerable.Range(0, train.ItemCount).OrderByDescending(i => train.ByItem.RowLength(i)).ThenBy(i => i).ToArray();
        var rng = new Random(3);
        ItemRating[] Pick(int from, int to, int count) => [.. byCount[from..to].OrderBy(_ => rng.Next()).Take(count).Select(i => new ItemRating(i, 4))];
        ItemRating[][] cases =
        [
            Pick(0, 50, 10),                                  // the most rated: kept rows
            Pick(1000, 3000, 10),                             // scattered: more than one group of 8
            [.. Pick(0, 50, 3), .. Pick(500, 5000, 12), .. Pick(0, 20, 2)], // interleaved
            Pick(8000, train.ItemCount, 5),                   // rated once or never (norm 0)
            [],
        ];
        var column = new float[train.ItemCount];
        foreach (var sources in cases)
        {
            var expected = Reference(train, sources);
            for (int repeat = 0; repeat < 2; repeat++)
            {
                Array.Fill(column, float.NaN);
                features.RatingSimilarity(sources, column);
                for (int i = 0; i < column.Length; i++) Assert.Equal(expected[i], column[i], 1e-5f);
            }
            Assert.Contains(expected, v => v != 0 || sources.Length == 0 || sources.All(s => train.ByItem.RowLength(s.Item) <= 1));
        }
    }
}

/// <summary>The genre cosine, scored once per distinct genre list, gives every movie the floats of scoring it alone.</summary>
public sealed class TasteGenreCosineTests
{
    [Fact]
    public void Scoring_each_distinct_genre_list_once_gives_the_per_movie_floats()
    {
        var data = TrainingData.From(TestData.MovieLensSmall);
        var features = new TasteFeatures(data, [], mostRated: 100);
        var catalogue = features.Catalogue;
        int n = features.ItemCount;
        var rng = new Random(5);
        foreach (int count in new[] { 1, 3, 10, 40 })
        {
            ItemRating[] liked = [.. Enumerable.Range(0, count).Select(_ => new ItemRating(rng.Next(n), 4))];
            var profile = new float[catalogue.GenreCount];
            foreach (var r in liked)
            {
                int length = catalogue.GenreOffsets[r.Item + 1] - catalogue.GenreOffsets[r.Item];
                for (int k = catalogue.GenreOffsets[r.Item]; k < catalogue.GenreOffsets[r.Item + 1]; k++) profile[catalogue.Genres[k]] += 1 / MathF.Sqrt(length);
            }
            float norm = System.Numerics.Tensors.TensorPrimitives.Norm(profile);
            var column = new float[n];
            features.GenreCosine(liked, column);
            int nonZero = 0;
            for (int i = 0; i < n; i++)
            {
                int length = catalogue.GenreOffsets[i + 1] - catalogue.GenreOffsets[i];
                float dot = 0;
                for (int k = catalogue.GenreOffsets[i]; k < catalogue.GenreOffsets[i + 1]; k++) dot += profile[catalogue.Genres[k]];
                float expected = length == 0 || norm == 0 ? 0 : dot / (norm * MathF.Sqrt(length));
                Assert.Equal(expected, column[i], 1e-5f);
                if (expected != 0) nonZero++;
            }
            Assert.True(nonZero > n / 10, $"{nonZero} movies share a genre with {count} liked ones");
        }
    }
}
