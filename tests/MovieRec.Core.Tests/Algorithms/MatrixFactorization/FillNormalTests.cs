using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.MatrixFactorization;

public class FillNormalTests
{
    [Fact]
    public void Padded_and_split_fills_give_the_draws_of_one_fill_on_a_seeded_System_Random()
    {
        const int rows = 3001, width = 37, stride = 40;
        var expected = new float[rows * width];
        Probe.Fill(new Random(11), expected);
        var padded = new float[rows * stride];
        Probe.FillPadded(new SubtractiveRandom(11), padded, 0, expected.Length, expected.Length, width, stride);
        var parts = new float[rows * stride];
        var first = new SubtractiveRandom(11);
        var second = first.Clone();
        int half = expected.Length / 4 * 2;
        second.Skip(half);
        Probe.FillPadded(second, parts, half, expected.Length - half, expected.Length, width, stride);
        Probe.FillPadded(first, parts, 0, half, expected.Length, width, stride);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < stride; c++)
            {
                float want = c < width ? expected[r * width + c] : 0f;
                Assert.Equal(want, padded[r * stride + c]);
                Assert.Equal(want, parts[r * stride + c]);
            }
        }
    }

    /// <summary>Reaches FactorModel's fill helpers.</summary>
    private sealed class Probe : FactorModel
    {
        public static void Fill(Random rng, float[] target) => FillNormal(rng, target, 0.05, 0.1);

        public static void FillPadded(SubtractiveRandom rng, float[] target, int from, int count, int total, int width, int stride) =>
            FillNormal(rng, target, from, count, total, width, stride, 0.05, 0.1);

        public override string Name => "probe";

        public override string OptionsJson => "{}";

        protected override double FoldInRegularization => 0;

        protected override double FoldInBiasRegularization => 0;

        protected override void Train(RatingDataset train, TrainingContext context) => throw new NotSupportedException();
    }
}
