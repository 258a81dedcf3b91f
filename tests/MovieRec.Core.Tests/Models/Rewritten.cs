using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Tests.Models;

/// <summary>
/// A model written through <paramref name="write"/>, each array passed through <paramref name="map"/> (null drops
/// it), then <paramref name="append"/>'s arrays: files as damaged or as earlier builds wrote them.
/// </summary>
internal sealed class Rewritten(
    IPersistentModel inner,
    Action<ModelWriter> write,
    Func<string, object, object?>? map = null,
    Action<ModelWriter>? append = null) : IPersistentModel
{
    public string Name => inner.Name;

    public int ItemCount => inner.ItemCount;

    public ModelHeader Header => inner.Header;

    public void Fit(TrainingData data, TrainingContext context) => inner.Fit(data, context);

    public void Score(int user, Span<float> scores) => inner.Score(user, scores);

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings) => inner.FoldIn(ratings);

    public void Score(FoldedUser user, Span<float> scores) => inner.Score(user, scores);

    public void WriteArrays(ModelWriter writer)
    {
        var all = new ModelWriter();
        write(all);
        foreach (var (name, _, data) in all.Arrays)
        {
            switch (map is null ? data : map(name, data))
            {
                case int[] ints: writer.Write(name, ints); break;
                case float[] floats: writer.Write(name, floats); break;
                case byte[] bytes: writer.Write(name, bytes); break;
                case Half[] halves: writer.Write(name, halves); break;
            }
        }
        append?.Invoke(writer);
    }
}
