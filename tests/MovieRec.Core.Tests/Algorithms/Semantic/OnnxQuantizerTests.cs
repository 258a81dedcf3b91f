using MovieRec.Core.Algorithms.Semantic;

namespace MovieRec.Core.Tests.Algorithms.Semantic;

public class OnnxQuantizerTests
{
    [Fact]
    public void Columns_are_quantised_symmetrically_within_half_a_step()
    {
        var random = new Random(7);
        int rows = 37, columns = 11;
        var w = new float[rows * columns];
        for (int i = 0; i < w.Length; i++) w[i] = (float)(random.NextDouble() * 2 - 1) * (1 + i % columns);
        w[5] = 0; // a zero column entry and
        var (q, scales) = OnnxQuantizer.QuantizeColumns(w, rows, columns);
        for (int c = 0; c < columns; c++)
        {
            float max = 0;
            for (int k = 0; k < rows; k++) max = Math.Max(max, Math.Abs(w[k * columns + c]));
            Assert.Equal(max / 127f, scales[c], 6);
            for (int k = 0; k < rows; k++)
            {
                int i = k * columns + c;
                Assert.InRange(q[i], -127, 127);
                Assert.True(Math.Abs(w[i] - q[i] * scales[c]) <= scales[c] / 2 + 1e-6f, $"w[{k},{c}] = {w[i]}, q = {q[i]}, s = {scales[c]}");
            }
        }
        // An all-zero column gets scale 1 and zeros, not a division by zero.
        var (zeros, zeroScales) = OnnxQuantizer.QuantizeColumns(new float[6], 3, 2);
        Assert.All(zeros, v => Assert.Equal(0, v));
        Assert.All(zeroScales, s => Assert.Equal(1f, s));
    }

    [Fact]
    public void Embedding_rows_are_quantised_symmetrically_within_half_a_step()
    {
        var random = new Random(11);
        int rows = 29, columns = 13;
        var e = new float[rows * columns];
        for (int i = 0; i < e.Length; i++) e[i] = (float)(random.NextDouble() * 2 - 1) * (1 + i / columns);
        for (int c = 0; c < columns; c++) e[3 * columns + c] = 0; // an all-zero row
        var (q, scales) = OnnxQuantizer.QuantizeRows(e, rows, columns);
        Assert.Equal(rows, scales.Length);
        for (int r = 0; r < rows; r++)
        {
            float max = 0;
            for (int c = 0; c < columns; c++) max = Math.Max(max, Math.Abs(e[r * columns + c]));
            Assert.Equal(max > 0 ? max / 127f : 1f, scales[r], 6);
            for (int c = 0; c < columns; c++)
            {
                int i = r * columns + c;
                Assert.InRange(q[i], -127, 127);
                Assert.True(Math.Abs(e[i] - q[i] * scales[r]) <= scales[r] / 2 + 1e-6f, $"e[{r},{c}] = {e[i]}, q = {q[i]}, s = {scales[r]}");
            }
        }
        Assert.All(q.AsSpan(3 * columns, columns).ToArray(), v => Assert.Equal(0, v));
    }

    [ModelFact]
    public void Every_weight_matmul_of_the_tiny_model_is_rewritten_and_the_rest_is_kept()
    {
        var model = File.ReadAllBytes(Path.Combine(TinyBertModel.Path, "model.onnx"));
        var (quantised, count, tables) = OnnxQuantizer.Quantize(model);
        // Two layers of Q, K, V, output, two feed-forward matrices; the attention products (activation x activation) stay.
        Assert.Equal(12, count);
        // Its word-embedding table (>= 4,096 rows) goes to int8 per row; the position and token-type tables stay.
        Assert.Equal(1, tables);
        Assert.True(quantised.Length < model.Length, "int8 weights replace the float ones");
        var (again, none, noTables) = OnnxQuantizer.Quantize(quantised);
        Assert.Equal(0, none);
        Assert.Equal(0, noTables);
        Assert.Same(quantised, again);
        Assert.Throws<InvalidDataException>(() => OnnxQuantizer.Quantize([0x0A, 0xFF, 0xFF, 0xFF, 0x0F]));
    }
}
