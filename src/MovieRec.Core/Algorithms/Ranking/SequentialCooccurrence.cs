using System.Globalization;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Ranking;

/// <summary>Options of <see cref="SequentialCooccurrence"/>; the defaults are the long-window member of <c>best-ranking</c>.</summary>
public sealed record SequentialOptions
{
    /// <summary>W: pairs of ratings at most W positions apart in a user's history count (default 20).</summary>
    public int Window { get; init; } = 20;

    /// <summary>δ in (0, 1]: a pair d positions apart adds δ^(d−1) (default 0.9).</summary>
    public double Decay { get; init; } = 0.9;

    /// <summary>β ≥ 0: weight of the backward direction (b rated before a) against the forward one (default 1).</summary>
    public double Backward { get; init; } = 1;

    /// <summary>L: the user's most recent L ratings score the candidates (default 10).</summary>
    public int History { get; init; } = 10;

    /// <summary>ρ in (0, 1]: the k-th most recent rating (k = 0 the newest) weighs ρ^k (default 0.8).</summary>
    public double HistoryDecay { get; init; } = 0.8;

    /// <summary>γ ≥ 0: each row is divided by n_a^γ, so very popular anchors do not drown the others (default 0.5).</summary>
    public double Normalization { get; init; } = 0.5;

    /// <summary>Neighbours kept per item, the strongest (default 500): bounds memory and scoring time on large catalogues.</summary>
    public int MaxNeighbors { get; init; } = 500;

    public void Validate()
    {
        OptionChecks.Positive(Window, nameof(Window));
        OptionChecks.InRange(Decay, 1e-6, 1, nameof(Decay));
        OptionChecks.NonNegative(Backward, nameof(Backward));
        OptionChecks.Positive(History, nameof(History));
        OptionChecks.InRange(HistoryDecay, 1e-6, 1, nameof(HistoryDecay));
        OptionChecks.NonNegative(Normalization, nameof(Normalization));
        OptionChecks.Positive(MaxNeighbors, nameof(MaxNeighbors));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"window={Window}, decay={Decay}, backward={Backward}, history={History}, history-decay={HistoryDecay}, normalization={Normalization}, max-neighbors={MaxNeighbors}");
}

/// <summary>A folded-in user of a sequence model: the ratings in the order given, the last one the newest.</summary>
public sealed class SequenceFoldedUser : FoldedUser
{
    public SequenceFoldedUser(ItemRating[] ratings, int[] chronological)
        : base(ratings) => Chronological = chronological;

    /// <summary>Item ids, oldest first.</summary>
    public int[] Chronological { get; }
}

/// <summary>
/// Sequence-aware item co-occurrence ("sequential rules" of Ludewig &amp; Jannach 2018, "Evaluation of session-based
/// recommendation algorithms", over whole rating histories): users rate in sessions, and what someone rates next is
/// best predicted by what they rated last. Every user's ratings in time order
/// (<see cref="RatingDataset.ByUserChronological"/>) give for each pair of ratings a (earlier) and b (later) at most W
/// positions apart the weights
/// <c>T[a,b] += δ^(d−1)</c> and <c>T[b,a] += β δ^(d−1)</c>, d being their distance; each row is divided by
/// <c>n_a^γ</c> (n_a = a's rating count) and keeps its strongest neighbours. A user whose newest ratings are
/// h_0 (newest), h_1, … scores <c>s(i) = Σ_{k&lt;L} ρ^k T[h_k, i]</c>; items no recent rating leads to score 0.
/// Fitting costs O(n W) for n ratings; fold-in takes the ratings in the order given, the last as the newest.
/// </summary>
public sealed class SequentialCooccurrence : IRecommender, IPersistentModel, IUserHistory
{
    private ModelHeader? _header;
    private int[] _rowOffsets = [];
    private int[] _neighbors = [];           // the rows' neighbour ids; empty when they fit 16 bits (_narrowNeighbors)
    private ushort[] _narrowNeighbors = [];  // the same ids as 16 bits, for catalogues of at most 65,536 items
    private bool _narrow;
    private Half[] _weights = [];            // the rows' weights in half precision: half the bytes, ranks as float did (bench ranking)
    private int[] _sequenceOffsets = [];
    private int[] _sequences = [];
    private bool _fitted;

    public SequentialCooccurrence(SequentialOptions? options = null)
    {
        Options = options ?? new SequentialOptions();
        Options.Validate();
    }

    public SequentialOptions Options { get; }

    public string Name => "sequential";

    public int ItemCount { get; private set; }

    public void Fit(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        var train = data.Ratings;
        ArgumentNullException.ThrowIfNull(context);
        ItemCount = train.ItemCount;
        var histories = train.ByUserChronological;
        (_sequenceOffsets, _sequences) = (histories.Offsets, histories.Columns);
        // The served sequential and best-ranking's member of the same options share one set of rows (see SharedFits).
        var rows = SharedFits.GetOrFit(train, (typeof(SequentialCooccurrence), Options, train.Timestamps), () =>
        {
            BuildRows(train.ItemCount, context);
            var (wide, narrow) = Pack(_neighbors, train.ItemCount);
            return new Rows(_rowOffsets, wide, narrow, _weights);
        });
        (_rowOffsets, _neighbors, _narrowNeighbors, _weights) = (rows.Offsets, rows.Neighbors, rows.Narrow, rows.Weights);
        _narrow = train.ItemCount <= 1 << 16;
        _header = PersistentModels.HeaderOf(Name, PersistentModels.ToJson(Options), train);
        _fitted = true;
    }

    private sealed record Rows(int[] Offsets, int[] Neighbors, ushort[] Narrow, Half[] Weights);

    /// <summary>
    /// The neighbour ids as 16 bits when every item id fits (ml-latest-small: 9,724 items), else as they are: half the
    /// bytes of the ids for the same scores (the served sequential and best-ranking's four members hold about 21 MiB of ids).
    /// </summary>
    private static (int[] Wide, ushort[] Narrow) Pack(int[] neighbors, int items)
    {
        if (items > 1 << 16) return (neighbors, []);
        var narrow = new ushort[neighbors.Length];
        for (int e = 0; e < neighbors.Length; e++) narrow[e] = (ushort)neighbors[e];
        return ([], narrow);
    }

    private void BuildRows(int itemCount, TrainingContext context)
    {
        var o = Options;
        // Where each item occurs in the histories (positions into _sequences), by a counting sort.
        var occurrenceOffsets = new int[itemCount + 1];
        foreach (int i in _sequences) occurrenceOffsets[i + 1]++;
        for (int i = 0; i < itemCount; i++) occurrenceOffsets[i + 1] += occurrenceOffsets[i];
        var occurrences = new int[_sequences.Length];
        var ownerOf = new int[_sequences.Length];
        var fill = (int[])occurrenceOffsets.Clone();
        for (int u = 0; u + 1 < _sequenceOffsets.Length; u++)
        {
            for (int p = _sequenceOffsets[u]; p < _sequenceOffsets[u + 1]; p++)
            {
                occurrences[fill[_sequences[p]]++] = p;
                ownerOf[p] = u;
            }
        }
        var decays = new float[o.Window + 1];
        for (int d = 1; d <= o.Window; d++) decays[d] = (float)Math.Pow(o.Decay, d - 1);
        var rowItems = new int[itemCount][];
        var rowWeights = new float[itemCount][];
        Parallel.For(0, itemCount, context.ParallelOptions, () => new RowScratch(itemCount), (a, _, scratch) =>
        {
            for (int k = occurrenceOffsets[a]; k < occurrenceOffsets[a + 1]; k++)
            {
                int p = occurrences[k], u = ownerOf[p];
                int first = Math.Max(_sequenceOffsets[u], p - o.Window), last = Math.Min(_sequenceOffsets[u + 1] - 1, p + o.Window);
                for (int q = first; q < p; q++) scratch.Add(_sequences[q], (float)(o.Backward * decays[p - q]));
                for (int q = p + 1; q <= last; q++) scratch.Add(_sequences[q], decays[q - p]);
            }
            int count = occurrenceOffsets[a + 1] - occurrenceOffsets[a];
            (rowItems[a], rowWeights[a]) = scratch.TakeRow(a, (float)Math.Pow(Math.Max(1, count), -o.Normalization), o.MaxNeighbors);
            return scratch;
        }, _ => { });
        _rowOffsets = new int[itemCount + 1];
        for (int a = 0; a < itemCount; a++) _rowOffsets[a + 1] = _rowOffsets[a] + rowItems[a].Length;
        _neighbors = new int[_rowOffsets[itemCount]];
        _weights = new Half[_rowOffsets[itemCount]];
        for (int a = 0; a < itemCount; a++)
        {
            rowItems[a].CopyTo(_neighbors, _rowOffsets[a]);
            System.Numerics.Tensors.TensorPrimitives.ConvertToHalf(rowWeights[a], _weights.AsSpan(_rowOffsets[a], rowWeights[a].Length));
        }
    }

    /// <summary>A dense accumulator for one row with the list of touched columns.</summary>
    private sealed class RowScratch(int itemCount)
    {
        private readonly float[] _values = new float[itemCount];
        private readonly List<int> _touched = [];

        public void Add(int item, float weight)
        {
            if (_values[item] == 0) _touched.Add(item);
            _values[item] += weight;
        }

        public (int[] Items, float[] Weights) TakeRow(int self, float scale, int maxNeighbors)
        {
            _values[self] = 0;
            _touched.Remove(self);
            var items = _touched.ToArray();
            var weights = new float[items.Length];
            for (int k = 0; k < items.Length; k++)
            {
                weights[k] = _values[items[k]] * scale;
                _values[items[k]] = 0;
            }
            _touched.Clear();
            if (items.Length > maxNeighbors)
            {
                // Strongest first (ties by item), then back to item order for cache-friendly scoring.
                var order = new int[items.Length];
                for (int k = 0; k < order.Length; k++) order[k] = k;
                Array.Sort(order, (x, y) => weights[x] != weights[y] ? weights[y].CompareTo(weights[x]) : items[x].CompareTo(items[y]));
                Array.Resize(ref order, maxNeighbors);
                items = Array.ConvertAll(order, k => items[k]);
                weights = Array.ConvertAll(order, k => weights[k]);
            }
            Array.Sort(items, weights);
            return (items, weights);
        }
    }

    public void Score(int user, Span<float> scores)
    {
        RankingChecks.Fitted(_fitted, Name);
        RankingChecks.ScoreLength(scores, ItemCount);
        scores.Clear();
        if ((uint)user + 1 >= (uint)_sequenceOffsets.Length) return;
        ScoreHistory(_sequences.AsSpan(_sequenceOffsets[user], _sequenceOffsets[user + 1] - _sequenceOffsets[user]), scores);
    }

    /// <summary>The ratings in the order given are the history, the last the newest.</summary>
    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        RankingChecks.Fitted(_fitted, Name);
        var normalized = RankingChecks.Normalize(ratings, ItemCount); // checks the ids
        var chronological = new List<int>(normalized.Length);
        var seen = new HashSet<int>();
        // A movie rated twice counts at its last position.
        for (int k = ratings.Length - 1; k >= 0; k--)
        {
            if (seen.Add(ratings[k].Item)) chronological.Add(ratings[k].Item);
        }
        chronological.Reverse();
        return new SequenceFoldedUser(normalized, [.. chronological]);
    }

    public void Score(FoldedUser user, Span<float> scores)
    {
        RankingChecks.Fitted(_fitted, Name);
        RankingChecks.ScoreLength(scores, ItemCount);
        var folded = user as SequenceFoldedUser ?? throw new ArgumentException($"{Name} scores users it folded in itself.", nameof(user));
        scores.Clear();
        ScoreHistory(folded.Chronological, scores);
    }

    private void ScoreHistory(ReadOnlySpan<int> chronological, Span<float> scores)
    {
        float weight = 1;
        var rho = (float)Options.HistoryDecay;
        for (int k = 0; k < Options.History && k < chronological.Length; k++)
        {
            int a = chronological[chronological.Length - 1 - k];
            if (_narrow)
            {
                for (int e = _rowOffsets[a]; e < _rowOffsets[a + 1]; e++) scores[_narrowNeighbors[e]] += weight * (float)_weights[e];
            }
            else
            {
                for (int e = _rowOffsets[a]; e < _rowOffsets[a + 1]; e++) scores[_neighbors[e]] += weight * (float)_weights[e];
            }
            weight *= rho;
        }
    }

    // ---- persistence: the transition rows (CSR) and the users' chronological histories (their scoring input) ----

    public ModelHeader Header => PersistentModels.Fitted(_header, Name);

    /// <summary>The user's training items, oldest first.</summary>
    public ReadOnlySpan<int> RatedBy(int user) =>
        (uint)user + 1 < (uint)_sequenceOffsets.Length ? _sequences.AsSpan(_sequenceOffsets[user], _sequenceOffsets[user + 1] - _sequenceOffsets[user]) : default;

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        RankingChecks.Fitted(_fitted, Name);
        writer.Write("row_offsets", _rowOffsets);
        writer.Write("neighbors", _narrow ? Array.ConvertAll(_narrowNeighbors, j => (int)j) : _neighbors);
        // float32 on disk (the format of every build): the half-precision values widen exactly.
        var weights = new float[_weights.Length];
        System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(_weights, weights);
        writer.Write("weights", weights);
        writer.Write("history_offsets", _sequenceOffsets);
        writer.Write("history_items", _sequences);
    }

    internal static SequentialCooccurrence Restore(ModelContents contents)
    {
        var model = new SequentialCooccurrence(PersistentModels.FromJson<SequentialOptions>(contents));
        int items = contents.ItemIds.Count;
        var rows = contents.Ints("row_offsets");
        var neighbors = contents.Ints("neighbors");
        var weights = contents.Floats("weights");
        bool ok = rows.Length == items + 1 && rows[0] == 0 && rows[items] == neighbors.Length && weights.Length == neighbors.Length;
        for (int i = 0; ok && i < items; i++) ok = rows[i] <= rows[i + 1];
        foreach (int j in neighbors) ok &= (uint)j < (uint)items;
        PersistentModels.Check(contents, ok, "the transition rows do not match the item id map");
        var histories = PersistentModels.ReadRated(contents, withValues: false, name: "history");
        var narrowWeights = new Half[weights.Length];
        System.Numerics.Tensors.TensorPrimitives.ConvertToHalf(weights, narrowWeights);
        (model._rowOffsets, model._weights, model.ItemCount) = (rows, narrowWeights, items);
        (model._neighbors, model._narrowNeighbors) = Pack(neighbors, items);
        model._narrow = items <= 1 << 16;
        (model._sequenceOffsets, model._sequences) = (histories.Offsets, histories.Columns);
        model._header = PersistentModels.HeaderOf(model.Name, contents.OptionsJson, contents);
        model._fitted = true;
        return model;
    }

    public override string ToString() => $"{Name}({Options})";
}
