using System.Globalization;
using System.Numerics.Tensors;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Ranking;

/// <summary>How EASE turns ratings into the user-item matrix X.</summary>
public enum EaseInput
{
    /// <summary>x_ui = 1 when u rated i (implicit feedback; the paper's setting).</summary>
    Binary,

    /// <summary>x_ui = r_ui, the rating value.</summary>
    Rating,
}

/// <summary>Options of <see cref="Ease"/>.</summary>
public sealed record EaseOptions
{
    /// <summary>
    /// λ, the L2 regularisation added to the Gram matrix's diagonal (default 200: the best of 100, 200, 500, 1000, 2000
    /// on ml-latest-small leave-latest-out, full-catalogue HR@10; the paper uses 200..1000 on larger sets).
    /// </summary>
    public double Lambda { get; init; } = 200;

    /// <summary>
    /// Only items with at least this many training ratings enter the dense item × item model (default 5: ml-latest-small's
    /// 9,724 items shrink to about 3,600, and 5 did as well as 3 there); other items score NaN (never recommended).
    /// </summary>
    public int MinItemCount { get; init; } = 5;

    /// <summary>
    /// At most this many items (the most rated first) enter the model (default 10,000: the dense float64 Gram matrix
    /// and its inverse take 8 n² bytes each, 800 MB at n = 10,000, and the inverse ~n³ flops), so large catalogues
    /// such as ml-25m stay trainable.
    /// </summary>
    public int MaxItems { get; init; } = 10_000;

    /// <summary>Binary implicit input (default) or rating-weighted.</summary>
    public EaseInput Input { get; init; } = EaseInput.Binary;

    /// <summary>
    /// B keeps only its n · this many weights of largest magnitude (this many a row on average; 0: all, the dense B).
    /// Default 512: on ml-latest-small 14 % of the 3,650² weights, 7.1 MiB instead of 25.4 (a half and a 16-bit column
    /// each), with EASE's leave-latest-out HR@10 and NDCG@10 and the default's new-user precision@10 unchanged
    /// (docs/benchmarks.md). Pruning B is the idea of sparse EASE approximations (Spišák, Bartyzel &amp; Kasalický
    /// 2023, "Scalable approximate NonSymmetric autoencoder for collaborative filtering", RecSys). Applied when the
    /// model has more than this many items and at most 65,536 (16-bit column indices).
    /// </summary>
    public int KeepPerRow { get; init; } = 512;

    public void Validate()
    {
        OptionChecks.Positive(Lambda, nameof(Lambda));
        OptionChecks.Positive(MinItemCount, nameof(MinItemCount));
        OptionChecks.Positive(MaxItems, nameof(MaxItems));
        OptionChecks.NonNegative(KeepPerRow, nameof(KeepPerRow));
        if (!Enum.IsDefined(Input)) throw new ArgumentException($"Input {Input} is not an EASE input.", nameof(Input));
    }
}

/// <summary>
/// EASE, the embarrassingly shallow autoencoder (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data",
/// WWW): an item × item weight matrix B minimising ‖X − X B‖²_F + λ ‖B‖²_F subject to diag(B) = 0 has the closed form
/// P = (XᵀX + λ I)⁻¹, B_ij = −P_ij / P_jj (i ≠ j), B_jj = 0, i.e. B = I − P diag(1 / diag(P)).
/// A user's scores are s_u = x_u B. The Gram matrix and its inverse are dense, so only items with at least
/// <see cref="EaseOptions.MinItemCount"/> training ratings (and at most <see cref="EaseOptions.MaxItems"/>) take part; the inverse is a float64 Cholesky (<see cref="DenseSpd"/>).
/// Fold-in is the same closed form: any rating vector x gives x B.
/// B is held in half precision (<see cref="Half"/>: 11 significant bits, 2 bytes a weight; 27 MB instead of 53 on
/// ml-latest-small's 3,650 modelled items) and widened to float a slice at a time when scoring, the sums in float;
/// by default only its largest weights are kept (<see cref="EaseOptions.KeepPerRow"/>: 7.5 MB), a sparse row per item.
/// </summary>
public sealed class Ease : IRecommender, IPersistentModel, IUserHistory
{
    private int[] _local = [];   // item -> model index, or -1
    private int[] _items = [];   // model index -> item
    private Half[] _b = [];      // dense: n × n, row i = weights of item i's contribution to every item; sparse: the kept weights
    private int[]? _rowStarts;   // sparse B (KeepPerRow): row i's kept weights are _b[_rowStarts[i].._rowStarts[i + 1]]
    private ushort[] _columns = [];  // sparse B: each kept weight's column (model index)
    private int _n;
    private CsrMatrix? _rated;   // each training user's ratings: their x_u
    private ModelHeader? _header;

    public Ease(EaseOptions? options = null)
    {
        Options = options ?? new EaseOptions();
        Options.Validate();
    }

    public EaseOptions Options { get; }

    public string Name => "ease";

    public int ItemCount => _local.Length;

    /// <summary>Items in the dense model (those with at least MinItemCount training ratings, at most MaxItems).</summary>
    public int ModelItemCount => _n;

    public void Fit(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        var train = data.Ratings;
        ArgumentNullException.ThrowIfNull(context);
        // The same options on the same ratings give the same B: ease, hybrid and taste share one, ease-recency and
        // best-ranking another (see SharedFits). Rating input over values that are all 1 is binary input.
        var options = Options.Input == EaseInput.Rating && AllOnes(train.Values) ? Options with { Input = EaseInput.Binary } : Options;
        object values = options.Input == EaseInput.Binary ? "binary" : train.Values;
        var weights = SharedFits.GetOrFit(train, (typeof(Ease), options, values), () => FitWeights(train, options, context));
        (_local, _items, _b, _n, _rowStarts, _columns) = (weights.Local, weights.Items, weights.B, weights.N, weights.RowStarts, weights.Columns);
        _rated = train.ByUser;
        _header = PersistentModels.HeaderOf(Name, PersistentModels.ToJson(Options), train);
    }

    private static bool AllOnes(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (v != 1f) return false;
        }
        return true;
    }

    /// <summary>B over the modelled items (dense, or its kept weights by row when RowStarts is set), with the item ↔ model index maps.</summary>
    private sealed record Weights(int[] Local, int[] Items, Half[] B, int N, int[]? RowStarts = null, ushort[]? Columns = null)
    {
        public ushort[] Columns { get; } = Columns ?? [];
    }

    private static Weights FitWeights(RatingDataset train, EaseOptions options, TrainingContext context)
    {
        var byItem = train.ByItem;
        var byUser = train.ByUser;
        var local = new int[train.ItemCount];
        Array.Fill(local, -1);
        var items = new List<int>();
        for (int i = 0; i < train.ItemCount; i++)
        {
            if (byItem.RowLength(i) >= options.MinItemCount) items.Add(i);
        }
        if (items.Count > options.MaxItems)
        {
            // Keep the most rated (ties: lower id), then restore id order so model rows follow item ids.
            items.Sort((a, b) => byItem.RowLength(a) != byItem.RowLength(b) ? byItem.RowLength(b).CompareTo(byItem.RowLength(a)) : a.CompareTo(b));
            items.RemoveRange(options.MaxItems, items.Count - options.MaxItems);
            items.Sort();
        }
        for (int li = 0; li < items.Count; li++) local[items[li]] = li;
        int[] modelItems = [.. items];
        int n = modelItems.Length;
        bool binary = options.Input == EaseInput.Binary;

        // G = XᵀX over the model's items, one row per task: G_i· = Σ_{u rated i} x_ui x_u.
        var g = new double[(long)n * n];
        Parallel.For(0, n, context.ParallelOptions, li =>
        {
            int item = modelItems[li];
            var users = byItem.RowColumns(item);
            var userValues = byItem.RowValues(item);
            var row = g.AsSpan(li * n, n);
            for (int p = 0; p < users.Length; p++)
            {
                double xi = binary ? 1 : userValues[p];
                var cols = byUser.RowColumns(users[p]);
                var vals = byUser.RowValues(users[p]);
                for (int q = 0; q < cols.Length; q++)
                {
                    int lj = local[cols[q]];
                    if (lj >= 0) row[lj] += xi * (binary ? 1 : vals[q]);
                }
            }
            row[li] += options.Lambda;
        });
        context.Cancellation.ThrowIfCancellationRequested();

        DenseSpd.Invert(g, n, context.ParallelOptions);

        var b = new Half[(long)n * n];
        Parallel.For(0, n, context.ParallelOptions, i =>
        {
            for (int j = 0; j < n; j++)
                b[i * n + j] = i == j ? Half.Zero : (Half)(-g[i * n + j] / g[j * n + j]);
        });
        if (!Prunes(options, n)) return new Weights(local, modelItems, b, n);
        var (starts, columns, kept) = Prune(b, n, options.KeepPerRow);
        return new Weights(local, modelItems, kept, n, starts, columns);
    }

    // The kept weights are indexed by int: n · KeepPerRow stays below 2³¹ (the dense B it comes from would be larger still).
    private static bool Prunes(EaseOptions options, int n) =>
        options.KeepPerRow > 0 && options.KeepPerRow < n - 1 && n <= 1 << 16 && (long)n * options.KeepPerRow < int.MaxValue;

    /// <summary>
    /// The sparse B: the <paramref name="perRow"/> · n weights of largest magnitude over the whole matrix (fewer when
    /// weights tie at the cut: a magnitude is kept whole or not at all), by row in column order. A global cut, not the
    /// same count in every row: a popular movie's row holds more strong weights than an obscure one's.
    /// </summary>
    private static (int[] Starts, ushort[] Columns, Half[] Weights) Prune(Half[] dense, int n, int perRow)
    {
        // |w| orders as the bits of a half with the sign cleared, so a histogram of those bits finds the cut exactly.
        var magnitudes = System.Runtime.InteropServices.MemoryMarshal.Cast<Half, ushort>(dense.AsSpan());
        var counts = new long[1 << 15];
        foreach (ushort w in magnitudes) counts[w & 0x7FFF]++;
        long budget = (long)n * perRow, kept = 0;
        int cut = 0x7FFF;
        while (cut > 1 && kept + counts[cut] <= budget) kept += counts[cut--];
        cut++;   // the lowest magnitude kept (never 0: the diagonal)

        var starts = new int[n + 1];
        var columns = new ushort[kept];
        var weights = new Half[kept];
        int e = 0;
        for (int i = 0; i < n; i++)
        {
            var row = magnitudes.Slice(i * n, n);
            for (int j = 0; j < n; j++)
            {
                if ((row[j] & 0x7FFF) < cut) continue;
                columns[e] = (ushort)j;
                weights[e++] = dense[i * n + j];
            }
            starts[i + 1] = e;
        }
        return (starts, columns, weights);
    }

    public void Score(int user, Span<float> scores)
    {
        var rated = _rated ?? throw new InvalidOperationException($"{Name} must be fitted before it scores.");
        RankingChecks.ScoreLength(scores, ItemCount);
        if ((uint)user >= (uint)rated.Rows) throw new ArgumentOutOfRangeException(nameof(user));
        ScoreFrom(rated.RowColumns(user), rated.RowValues(user), scores);
    }

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        RankingChecks.Fitted(_rated is not null, Name);
        return new RatingsFoldedUser(RankingChecks.Normalize(ratings, ItemCount));
    }

    public void Score(FoldedUser user, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(user);
        RankingChecks.Fitted(_rated is not null, Name);
        RankingChecks.ScoreLength(scores, ItemCount);
        var ratings = user.Ratings;
        var items = new int[ratings.Length];
        var values = new float[ratings.Length];
        for (int k = 0; k < ratings.Length; k++) (items[k], values[k]) = (ratings[k].Item, ratings[k].Rating);
        ScoreFrom(items, values, scores);
    }

    /// <summary>Weights widened from half to float at a time when scoring (2 KB on the stack, in the L1 cache).</summary>
    private const int Slice = 512;

    /// <summary>s = x B: a sum of B's rows for the rated items, weighted by x_ui.</summary>
    private void ScoreFrom(ReadOnlySpan<int> items, ReadOnlySpan<float> values, Span<float> scores)
    {
        int n = _n;
        // Pooled: a request's n floats would be garbage on every fold-in.
        var pooled = System.Buffers.ArrayPool<float>.Shared.Rent(n);
        try
        {
            var acc = pooled.AsSpan(0, n);
            acc.Clear();
            bool binary = Options.Input == EaseInput.Binary;
            Span<float> wide = stackalloc float[Slice];
            for (int k = 0; k < items.Length; k++)
            {
                int li = _local[items[k]];
                if (li < 0) continue;
                if (_rowStarts is { } starts)
                {
                    float x = binary ? 1 : values[k];
                    int end = starts[li + 1];
                    for (int e = starts[li]; e < end; e++) acc[_columns[e]] += x * (float)_b[e];
                    continue;
                }
                var row = _b.AsSpan(li * n, n);
                for (int start = 0; start < n; start += Slice)
                {
                    int length = Math.Min(Slice, n - start);
                    var w = wide[..length];
                    var a = acc.Slice(start, length);
                    TensorPrimitives.ConvertToSingle(row.Slice(start, length), w);
                    if (binary) TensorPrimitives.Add(a, w, a);
                    else TensorPrimitives.MultiplyAdd(w, values[k], a, a);
                }
            }
            scores.Fill(float.NaN);
            for (int li = 0; li < n; li++) scores[_items[li]] = acc[li];
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(pooled);
        }
    }

    // ---- persistence: B over the modelled items (f16, format version 2), the model index → item map, and each user's
    // ratings. Files of earlier builds hold B as float32: it is rounded to half precision on load. ----

    public ModelHeader Header => PersistentModels.Fitted(_header, Name);

    public ReadOnlySpan<int> RatedBy(int user) => PersistentModels.Row(_rated, user);

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        RankingChecks.Fitted(_rated is not null, Name);
        writer.Write("model_items", _items);
        writer.Write("weights", _b);
        if (_rowStarts is not null)
        {
            writer.Write("row_starts", _rowStarts);
            writer.Write("columns", Array.ConvertAll(_columns, j => (int)j));
        }
        PersistentModels.WriteRated(writer, _rated!, withValues: Options.Input == EaseInput.Rating);
    }

    internal static Ease Restore(ModelContents contents)
    {
        var model = new Ease(PersistentModels.FromJson<EaseOptions>(contents));
        var items = contents.Ints("model_items");
        var b = contents.Halves("weights");
        int itemCount = contents.ItemIds.Count, n = items.Length;
        var local = new int[itemCount];
        Array.Fill(local, -1);
        int[]? starts = contents.Has("row_starts") ? contents.Ints("row_starts") : null;
        int[] columns = starts is null ? [] : contents.Ints("columns");
        bool ok = starts is null ? b.Length == (long)n * n : SparseRowsFit(starts, columns, b.Length, n);
        for (int li = 0; ok && li < n; li++)
        {
            ok = (uint)items[li] < (uint)itemCount && local[items[li]] < 0;
            if (ok) local[items[li]] = li;
        }
        PersistentModels.Check(contents, ok, "the EASE item map or weight matrix does not match the item id map");
        (model._items, model._local, model._b, model._n) = (items, local, b, n);
        if (starts is not null) (model._rowStarts, model._columns) = (starts, Array.ConvertAll(columns, j => (ushort)j));
        else if (Prunes(model.Options, n))
        {
            // A dense B saved by a build before pruning (or with KeepPerRow 0) read with options that prune.
            (model._rowStarts, model._columns, model._b) = Prune(b, n, model.Options.KeepPerRow);
        }
        model._rated = PersistentModels.ReadRated(contents, withValues: model.Options.Input == EaseInput.Rating);
        model._header = PersistentModels.HeaderOf(model.Name, contents.OptionsJson, contents);
        return model;
    }

    private static bool SparseRowsFit(int[] starts, int[] columns, long weights, int n)
    {
        if (starts.Length != n + 1 || starts[0] != 0 || starts[n] != weights || columns.Length != weights || n > 1 << 16) return false;
        for (int i = 0; i < n; i++)
        {
            if (starts[i] > starts[i + 1]) return false;
        }
        foreach (int j in columns)
        {
            if ((uint)j >= (uint)n) return false;
        }
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"ease(lambda={Options.Lambda}, min-count={Options.MinItemCount}, max-items={Options.MaxItems}, input={Options.Input.ToString().ToLowerInvariant()}, keep-per-row={Options.KeepPerRow})");
}
