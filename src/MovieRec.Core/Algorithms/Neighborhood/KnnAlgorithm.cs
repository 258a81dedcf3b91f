using MovieRec.Core.Algorithms.Baselines;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Neighborhood;

/// <summary>
/// What Surprise's k-NN family shares (surprise/prediction_algorithms/knns.py). With x the user and y the item
/// (user-based) or the other way round (item-based), the neighbours of x for y are the x' that rated y; the k with
/// the highest similarity are kept (ties: the earlier in the CSR row) and only those with a positive similarity
/// count. A user or item without training ratings makes the prediction impossible (global mean), except for
/// KNNBaseline, which then returns its baseline.
/// <para>Prediction allocates nothing: a per-thread bounded min-heap selects the k neighbours in one pass.</para>
/// </summary>
public abstract class KnnAlgorithm : RatingPredictorBase, IPersistentModel, IUserHistory
{
    [ThreadStatic] private static float[]? t_heapSim;
    [ThreadStatic] private static int[]? t_heapPos;

    private SimilarityMatrix? _sim;
    private CsrMatrix _yr = null!;
    private double[] _xMean = [];
    private double[] _xSigma = [];
    private double[] _shift = [];
    private double[] _scale = [];
    private BaselineEstimates? _baselines;

    protected KnnAlgorithm(KnnOptions? options)
    {
        Options = options ?? new KnnOptions();
        Options.Validate();
    }

    public KnnOptions Options { get; }

    /// <summary>How the neighbours' ratings are aggregated.</summary>
    private protected abstract KnnKind Kind { get; }

    private bool UserBased => Options.Similarity.UserBased;

    /// <summary>The fitted similarity matrix (users or items).</summary>
    public SimilarityMatrix Similarity => _sim ?? throw new InvalidOperationException($"{Name} must be fitted first.");

    /// <summary>The baselines, when the algorithm or its similarity uses them.</summary>
    public BaselineEstimates? Baselines => _baselines;

    protected override void FitCore(RatingDataset train, TrainingContext context)
    {
        bool needsBaselines = Kind == KnnKind.Baseline || Options.Similarity.Measure == SimilarityMeasure.PearsonBaseline;
        _baselines = needsBaselines ? BaselineEstimates.Compute(train, Options.Baseline) : null;
        _sim = Similarities.Compute(train, Options.Similarity, _baselines, context);
        Prepare(train);
    }

    /// <summary>The per-row means, deviations and shifts, derived from the training set.</summary>
    private void Prepare(RatingDataset train)
    {
        var xr = UserBased ? train.ByUser : train.ByItem;
        _yr = UserBased ? train.ByItem : train.ByUser;
        int n = xr.Rows;
        _xMean = new double[n];
        _xSigma = new double[n];
        for (int x = 0; x < n; x++)
        {
            var vals = xr.RowValues(x);
            (_xMean[x], _xSigma[x]) = MeanAndSigma(vals);
        }
        // A neighbour's term is (r − shift[x']) / scale[x'].
        _shift = Kind switch
        {
            KnnKind.Basic => new double[n],
            KnnKind.Baseline => BaselineShift(n),
            _ => _xMean,
        };
        _scale = Kind == KnnKind.ZScore ? _xSigma : Ones(n);
    }

    private double[] BaselineShift(int n)
    {
        var bx = UserBased ? _baselines!.UserBias : _baselines!.ItemBias;
        var shift = new double[n];
        for (int x = 0; x < n; x++) shift[x] = _baselines.GlobalMean + bx[x];
        return shift;
    }

    private static double[] Ones(int n)
    {
        var a = new double[n];
        Array.Fill(a, 1.0);
        return a;
    }

    /// <summary>Mean and population standard deviation (1 when it is 0, as in KNNWithZScore).</summary>
    private static (double Mean, double Sigma) MeanAndSigma(ReadOnlySpan<float> values)
    {
        if (values.Length == 0) return (double.NaN, 1);
        double sum = 0;
        foreach (float v in values) sum += v;
        double mean = sum / values.Length;
        double sq = 0;
        foreach (float v in values) sq += (v - mean) * (v - mean);
        double sigma = Math.Sqrt(sq / values.Length);
        return (mean, sigma == 0 ? 1 : sigma);
    }

    protected override double Estimate(int user, int item)
    {
        bool knownUser = IsUserKnown(user), knownItem = IsItemKnown(item);
        if (!(knownUser && knownItem))
            return Kind == KnnKind.Baseline ? BaselineOf(knownUser ? _baselines!.UserBias[user] : 0, item, knownItem) : double.NaN;
        int x = UserBased ? user : item, y = UserBased ? item : user;
        var (sum, sumSim, actualK) = Aggregate(new MatrixRow(Similarity, x), _yr.RowColumns(y), _yr.RowValues(y));
        double yBias = Kind == KnnKind.Baseline ? (UserBased ? _baselines!.ItemBias[y] : _baselines!.UserBias[y]) : 0;
        double center = Kind == KnnKind.Baseline ? BaselineOf(_baselines!.UserBias[user], item, true) : _xMean[x];
        return Combine(center, _xSigma[x], yBias, sum, sumSim, actualK);
    }

    private double BaselineOf(double userBias, int item, bool knownItem) =>
        _baselines!.GlobalMean + userBias + (knownItem ? _baselines.ItemBias[item] : 0);

    /// <summary>Surprise's estimate rules, given Σ sim·term, Σ sim and the positive-similarity neighbour count.</summary>
    private double Combine(double center, double sigma, double yBias, double sum, double sumSim, int actualK)
    {
        bool enough = actualK >= Options.MinK && sumSim > 0;
        return Kind switch
        {
            KnnKind.Basic => enough ? sum / sumSim : double.NaN,
            KnnKind.Means => center + (enough ? sum / sumSim : 0),
            KnnKind.ZScore => center + (enough ? sum / sumSim * sigma : 0),
            _ => center + (enough ? sum / sumSim - yBias : 0),
        };
    }

    /// <summary>
    /// The k most similar neighbours among <paramref name="neighbours"/> (with their ratings), positive
    /// similarities only: Σ sim·(r − shift)/scale, Σ sim and how many.
    /// </summary>
    private (double Sum, double SumSim, int Count) Aggregate<TSim>(TSim simRow, ReadOnlySpan<int> neighbours, ReadOnlySpan<float> ratings)
        where TSim : struct, ISimilarityRow
    {
        int k = Options.K;
        if (t_heapSim is null || t_heapPos is null || t_heapSim.Length < k)
        {
            t_heapSim = new float[k];
            t_heapPos = new int[k];
        }
        var heapSim = t_heapSim;
        var heapPos = t_heapPos;
        int size = 0;
        for (int m = 0; m < neighbours.Length; m++)
        {
            float s = simRow.Get(neighbours[m]);
            if (!(s > 0)) continue;
            if (size < k)
            {
                // Sift up: the root is the worst (lowest similarity, then the later position).
                int c = size++;
                while (c > 0)
                {
                    int p = (c - 1) >> 1;
                    if (!(heapSim[p] > s)) break;
                    heapSim[c] = heapSim[p];
                    heapPos[c] = heapPos[p];
                    c = p;
                }
                heapSim[c] = s;
                heapPos[c] = m;
            }
            else if (s > heapSim[0])
            {
                int c = 0;
                while (true)
                {
                    int l = 2 * c + 1;
                    if (l >= size) break;
                    int r = l + 1;
                    int w = r < size && Worse(heapSim[r], heapPos[r], heapSim[l], heapPos[l]) ? r : l;
                    if (!Worse(heapSim[w], heapPos[w], s, m)) break;
                    heapSim[c] = heapSim[w];
                    heapPos[c] = heapPos[w];
                    c = w;
                }
                heapSim[c] = s;
                heapPos[c] = m;
            }
        }
        double sum = 0, sumSim = 0;
        var shift = _shift;
        var scale = _scale;
        for (int h = 0; h < size; h++)
        {
            int m = heapPos[h];
            int nb = neighbours[m];
            double sim = heapSim[h];
            sumSim += sim;
            sum += sim * (ratings[m] - shift[nb]) / scale[nb];
        }
        return (sum, sumSim, size);
    }

    // Positions grow along the row, so among equal similarities the later one is worse (Python's nlargest keeps
    // the earlier one).
    private static bool Worse(float sa, int pa, float sb, int pb) => sa < sb || (sa == sb && pa > pb);

    public override FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        CheckFitted();
        var sorted = ratings.ToArray();
        Array.Sort(sorted, static (a, b) => a.Item.CompareTo(b.Item));
        // Drop items outside the training set and duplicates (the last rating wins).
        var kept = new List<ItemRating>(sorted.Length);
        foreach (var r in sorted)
        {
            if (!IsItemKnown(r.Item)) continue;
            if (kept.Count > 0 && kept[^1].Item == r.Item) kept[^1] = r;
            else kept.Add(r);
        }
        var known = kept.ToArray();
        var items = new int[known.Length];
        var values = new float[known.Length];
        for (int j = 0; j < known.Length; j++)
        {
            items[j] = known[j].Item;
            values[j] = known[j].Rating;
        }
        var (mean, sigma) = MeanAndSigma(values);
        double bias = _baselines?.FoldInUserBias(known) ?? 0;
        float[]? sims = null;
        if (UserBased && known.Length > 0)
        {
            sims = new float[UserCount];
            Similarities.UserToUsers(Trainset, Options.Similarity, _baselines, known, bias, sims);
        }
        return new KnnFoldedUser(sorted, items, values, mean, sigma, bias, sims);
    }

    protected override double Estimate(FoldedUser user, int item) => EstimateFolded(FoldedBy<KnnFoldedUser>(user), item);

    private double EstimateFolded(KnnFoldedUser f, int item)
    {
        bool knownUser = f.Items.Length > 0, knownItem = IsItemKnown(item);
        if (!(knownUser && knownItem))
            return Kind == KnnKind.Baseline ? BaselineOf(knownUser ? f.Bias : 0, item, knownItem) : double.NaN;
        double center, sigma, yBias = 0;
        (double Sum, double SumSim, int Count) agg;
        if (UserBased)
        {
            agg = Aggregate(new ArrayRow(f.Similarities!), _yr.RowColumns(item), _yr.RowValues(item));
            center = f.Mean;
            sigma = f.Sigma;
            if (Kind == KnnKind.Baseline) yBias = _baselines!.ItemBias[item];
        }
        else
        {
            agg = Aggregate(new MatrixRow(Similarity, item), f.Items, f.Values);
            center = _xMean[item];
            sigma = _xSigma[item];
            yBias = f.Bias;
        }
        if (Kind == KnnKind.Baseline) center = BaselineOf(f.Bias, item, true);
        return Combine(center, sigma, yBias, agg.Sum, agg.SumSim, agg.Count);
    }

    // ---- persistence: the training ratings (user-based fold-in compares a new user with every training user), the
    // positive similarities of the upper triangle plus the diagonal (all a prediction reads) and the baselines ----

    public ModelHeader Header => IsFitted
        ? PersistentModels.HeaderOf(Name, PersistentModels.ToJson(Options), Trainset)
        : throw new InvalidOperationException($"{Name} must be fitted before it is saved.");

    public ReadOnlySpan<int> RatedBy(int user) => IsFitted && (uint)user < (uint)Trainset.UserCount ? Trainset.ByUser.RowColumns(user) : default;

    /// <summary>
    /// Writes the training ratings, the baselines and the similarities a prediction can read. A prediction aggregates
    /// the k most similar of the neighbours that rated the item (user-based) or that the user rated (item-based), and
    /// only those with a positive similarity count (see Aggregate), so the file keeps every positive sim(x, x')
    /// with x &lt; x' (the matrix is symmetric) as CSR rows, and the diagonal (a user's own rated item is its own
    /// neighbour when every item is scored). Any neighbour among those who rated the item can be chosen, so no shorter
    /// list is exact; this one is: item-based pearson-baseline on ml-latest-small keeps 2.36M of the 47.3M pairs
    /// (20.1 MB instead of 362.8 MB). Zero, negative and NaN similarities read back as 0, which no prediction uses.
    /// With msd (the default measure) nearly every co-rated pair is positive, so the rows' columns (as gaps) and values
    /// are stored Zstandard-compressed: losslessly, so the restored model is the fitted one bit for bit (knn-basic item
    /// msd on ml-latest-small: 102.5 MB plain, see <see cref="PackSimilarities"/>).
    /// </summary>
    public void WriteArrays(ModelWriter writer) => WriteArrays(writer, packed: true);

    /// <summary>The layout; <paramref name="packed"/> false writes the plain CSR arrays of earlier builds (tests read both).</summary>
    internal void WriteArrays(ModelWriter writer, bool packed)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var sim = Similarity;
        var train = Trainset;
        PersistentModels.WriteRatings(writer, train);
        var (offsets, columns, values, diagonal) = PositiveUpperTriangle(sim);
        writer.Write("similarity_offsets", offsets);
        if (packed)
        {
            writer.Write("similarity_packed", PackSimilarities(offsets, columns, values));
        }
        else
        {
            writer.Write("similarity_columns", columns);
            writer.Write("similarity_values", values);
        }
        writer.Write("similarity_diagonal", diagonal);
        if (_baselines is { } b)
        {
            writer.Write("baseline_user_bias", b.UserBias);
            writer.Write("baseline_item_bias", b.ItemBias);
        }
    }

    /// <summary>The positive entries above the diagonal as CSR rows (columns ascending), and the diagonal.</summary>
    private static (int[] Offsets, int[] Columns, float[] Values, float[] Diagonal) PositiveUpperTriangle(SimilarityMatrix sim)
    {
        int n = sim.Size;
        var offsets = new int[n + 1];
        var diagonal = new float[n];
        for (int x = 0; x < n; x++)
        {
            var row = sim.Row(x);
            diagonal[x] = row[x];
            int count = 0;
            for (int y = x + 1; y < n; y++)
            {
                if (row[y] > 0) count++;
            }
            offsets[x + 1] = checked(offsets[x] + count);
        }
        var columns = new int[offsets[n]];
        var values = new float[offsets[n]];
        for (int x = 0; x < n; x++)
        {
            var row = sim.Row(x);
            int p = offsets[x];
            for (int y = x + 1; y < n; y++)
            {
                if (!(row[y] > 0)) continue;
                columns[p] = y;
                values[p++] = row[y];
            }
        }
        return (offsets, columns, values, diagonal);
    }

    /// <summary>
    /// The CSR rows as one Zstandard frame (level 3): each row's columns as gaps (the first from the diagonal, then from
    /// the previous column, minus 1: mostly small numbers whose high bytes are 0), then every value as a float, both
    /// little-endian. Lossless; on ml-latest-small the msd item matrix's 12.8M pairs take about 19 MB instead of 102.5 (movierec train --algorithm knn-basic --param user-based=false).
    /// </summary>
    private static byte[] PackSimilarities(int[] offsets, int[] columns, float[] values)
    {
        var gaps = new int[columns.Length];
        for (int x = 0; x + 1 < offsets.Length; x++)
        {
            int previous = x;
            for (int p = offsets[x]; p < offsets[x + 1]; p++)
            {
                gaps[p] = columns[p] - previous - 1;
                previous = columns[p];
            }
        }
        using var buffer = new MemoryStream();
        using (var zstd = new ZstdSharp.CompressionStream(buffer, level: 3, leaveOpen: true))
        {
            WriteLittleEndian(zstd, gaps);
            WriteLittleEndian(zstd, values);
        }
        return buffer.ToArray();
    }

    private static void WriteLittleEndian<T>(Stream stream, T[] data)
        where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Model files are written on little-endian machines.");
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
    }

    /// <summary>
    /// <see cref="PackSimilarities"/> undone, into arrays of the length the offsets give; a frame that holds fewer or more
    /// bytes, or is not Zstandard, is refused naming the file.
    /// </summary>
    private static (int[] Columns, float[] Values) UnpackSimilarities(ModelContents contents, int[] offsets)
    {
        int size = offsets.Length - 1;
        bool counted = size >= 0 && offsets[0] == 0 && (long)offsets[size] <= (long)size * (size - 1) / 2;
        for (int x = 0; counted && x < size; x++) counted = offsets[x] <= offsets[x + 1];
        PersistentModels.Check(contents, counted, "the similarity offsets do not match the id maps");
        int count = offsets[size];
        var columns = new int[count];
        var values = new float[count];
        try
        {
            using var zstd = new ZstdSharp.DecompressionStream(new MemoryStream(contents.Bytes("similarity_packed"), writable: false));
            zstd.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(columns.AsSpan()));
            zstd.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            PersistentModels.Check(contents, zstd.ReadByte() < 0, "the packed similarities hold more than the offsets count");
        }
        catch (Exception e) when (e is EndOfStreamException or ZstdSharp.ZstdException)
        {
            PersistentModels.Check(contents, false, $"the packed similarities cannot be read ({e.Message.TrimEnd('.')})");
        }
        for (int x = 0; x < size; x++)
        {
            long previous = x;
            for (int p = offsets[x]; p < offsets[x + 1]; p++)
            {
                previous += (long)(uint)columns[p] + 1;
                PersistentModels.Check(contents, previous < size, "the packed similarities name a column outside the matrix");
                columns[p] = (int)previous;
            }
        }
        return (columns, values);
    }

    /// <summary>
    /// The dense matrix back from <see cref="PositiveUpperTriangle"/>'s arrays: each kept pair on both sides of the
    /// diagonal, 0 elsewhere. Files written before the sparse layout hold the dense matrix as "similarities".
    /// </summary>
    private static SimilarityMatrix ReadSimilarities(ModelContents contents, int size)
    {
        if (contents.Has("similarities"))
        {
            var dense = contents.Floats("similarities");
            PersistentModels.Check(contents, dense.Length == (long)size * size, "the similarity matrix does not match the id maps");
            return new SimilarityMatrix(size, dense);
        }
        var offsets = contents.Ints("similarity_offsets");
        PersistentModels.Check(contents, size <= SimilarityMatrix.MaxSize && offsets.Length == size + 1, "the similarity arrays do not match the id maps");
        var (columns, values) = contents.Has("similarity_packed")
            ? UnpackSimilarities(contents, offsets)
            : (contents.Ints("similarity_columns"), contents.Floats("similarity_values"));
        var diagonal = contents.Floats("similarity_diagonal");
        bool ok = size <= SimilarityMatrix.MaxSize && offsets.Length == size + 1 && offsets[0] == 0 && offsets[size] == columns.Length
            && values.Length == columns.Length && diagonal.Length == size;
        for (int x = 0; ok && x < size; x++)
        {
            ok = offsets[x] <= offsets[x + 1];
            for (int p = offsets[x]; ok && p < offsets[x + 1]; p++) ok = columns[p] > x && columns[p] < size;
        }
        PersistentModels.Check(contents, ok, "the similarity arrays do not match the id maps");
        var matrix = new float[(long)size * size];
        for (int x = 0; x < size; x++)
        {
            long row = (long)x * size;
            matrix[row + x] = diagonal[x];
            for (int p = offsets[x]; p < offsets[x + 1]; p++)
            {
                int y = columns[p];
                matrix[row + y] = values[p];
                matrix[(long)y * size + x] = values[p];
            }
        }
        return new SimilarityMatrix(size, matrix);
    }

    /// <summary>Restores the state written by <see cref="WriteArrays(ModelWriter)"/> into a new model of the file's options.</summary>
    internal static T Restore<T>(ModelContents contents, Func<KnnOptions, T> create)
        where T : KnnAlgorithm
    {
        ArgumentNullException.ThrowIfNull(contents);
        var model = create(PersistentModels.FromJson<KnnOptions>(contents));
        var train = PersistentModels.ReadRatings(contents);
        int userCount = contents.UserIds.Count, itemCount = contents.ItemIds.Count;
        int size = model.UserBased ? userCount : itemCount;
        var sim = ReadSimilarities(contents, size);
        if (contents.Has("baseline_user_bias"))
        {
            var bu = contents.Doubles("baseline_user_bias");
            var bi = contents.Doubles("baseline_item_bias");
            PersistentModels.Check(contents, bu.Length == userCount && bi.Length == itemCount, "the baselines do not match the id maps");
            model._baselines = BaselineEstimates.FromParts(train.GlobalMean, bu, bi, model.Options.Baseline);
        }
        PersistentModels.Check(contents, model._baselines is not null || !(model.Kind == KnnKind.Baseline || model.Options.Similarity.Measure == SimilarityMeasure.PearsonBaseline),
            "the baselines are missing");
        model._sim = sim;
        model.RestoreFitted(train);
        model.Prepare(train);
        return model;
    }

    public override string ToString() => $"{Name}({Options})";
}

/// <summary>Similarities of one x to every x' (a struct so the generic aggregation inlines the lookup).</summary>
internal interface ISimilarityRow
{
    float Get(int other);
}

internal readonly struct MatrixRow(SimilarityMatrix matrix, int x) : ISimilarityRow
{
    private readonly float[] _values = matrix.Values;
    private readonly long _row = (long)x * matrix.Size;

    public float Get(int other) => _values[_row + other];
}

internal readonly struct ArrayRow(float[] sims) : ISimilarityRow
{
    public float Get(int other) => sims[other];
}

/// <summary>The four aggregation rules of Surprise's k-NN family.</summary>
internal enum KnnKind
{
    Basic,
    Means,
    ZScore,
    Baseline,
}

/// <summary>A user folded into a k-NN model: ratings by item, mean, σ, b_u, and (user-based) similarities to every training user.</summary>
public sealed class KnnFoldedUser : FoldedUser
{
    internal KnnFoldedUser(ItemRating[] ratings, int[] items, float[] values, double mean, double sigma, double bias, float[]? similarities)
        : base(ratings)
    {
        Items = items;
        Values = values;
        Mean = mean;
        Sigma = sigma;
        Bias = bias;
        Similarities = similarities;
    }

    /// <summary>Rated training items, ascending.</summary>
    public int[] Items { get; }

    public float[] Values { get; }

    public double Mean { get; }

    public double Sigma { get; }

    /// <summary>b_u with the item biases fixed (0 when the model has no baselines).</summary>
    public double Bias { get; }

    /// <summary>Similarity to each training user (user-based models only).</summary>
    public float[]? Similarities { get; }
}
