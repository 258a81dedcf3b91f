using System.Globalization;
using System.Text.Json;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Data;
using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace MovieRec.Core.Models;

/// <summary>
/// What a saved Spark ALSModel's <c>metadata/part-00000</c> says: class, Spark version, uid, rank, the user and item
/// columns, the cold-start strategy, and regParam and implicitPrefs when the writer recorded them (Spark's own
/// ALSModel writer does not: they are estimator params, so they are null then).
/// </summary>
public sealed record SparkAlsMetadata(string Class, string SparkVersion, string Uid, int Rank, string UserCol, string ItemCol,
    double? RegParam, bool? ImplicitPrefs, string ColdStartStrategy);

/// <summary>One side's factors as read: ids and their rows (row k of <see cref="Features"/> belongs to Ids[k]), sorted by id.</summary>
public sealed record SparkFactorTable(string Folder, int Rank, long[] Ids, float[] Features, int FileCount)
{
    public int Count => Ids.Length;

    public ReadOnlySpan<float> Row(int k) => Features.AsSpan(k * Rank, Rank);
}

/// <summary>How to import: the rating scale predictions are clipped to, and an optional regParam override.</summary>
public sealed record SparkAlsImportOptions
{
    /// <summary>The scale predictions are clipped to (default 0.5-5 in half stars, MovieLens).</summary>
    public RatingScale Scale { get; init; } = RatingScale.HalfStars;

    /// <summary>regParam λ of the fold-in solve; when null, the metadata's value, else Spark's default 0.1.</summary>
    public double? RegParam { get; init; }

    /// <summary>
    /// When set, the model's dense user and item ids follow the dataset's (what the service assumes: its models
    /// share the dataset's item ids): the dataset's users and items in its order, users only Spark knows appended in
    /// id order, items only Spark knows left out, dataset ids without factors unknown to the model. When null, dense
    /// ids follow the raw ids in ascending order.
    /// </summary>
    public RatingDataset? AlignTo { get; init; }
}

/// <summary>An imported model and what went into it.</summary>
/// <param name="Model">The model, ready to serve and to save with <see cref="ModelFile.Save"/>.</param>
/// <param name="Metadata">The metadata as read.</param>
/// <param name="SparkUsers">User factor rows read.</param>
/// <param name="SparkItems">Item factor rows read.</param>
/// <param name="DroppedItems">Items with factors left out because the dataset aligned to does not have them.</param>
public sealed record SparkAlsImportResult(SparkAlsModel Model, SparkAlsMetadata Metadata, int SparkUsers, int SparkItems, int DroppedItems);

/// <summary>
/// Reads a Spark MLlib ALSModel saved with <c>model.save(path)</c> (Spark 2.x/3.x layout):
/// <code>
/// path/metadata/part-00000        one JSON line: {"class":"org.apache.spark.ml.recommendation.ALSModel",
///                                  "timestamp":..,"sparkVersion":"3.5.1","uid":"als_..","paramMap":{"userCol":..,
///                                  "itemCol":..,"coldStartStrategy":..,"blockSize":..},"defaultParamMap":{..},"rank":10}
/// path/userFactors/part-*.parquet  columns id (int32) and features (list of float32), any number of part files
/// path/itemFactors/part-*.parquet  the same for items
/// </code>
/// Part files may be uncompressed or snappy/gzip/zstd-compressed and hold several row groups; files starting with
/// '.' or '_' (Spark's .crc and _SUCCESS) are ignored. Everything is validated: a missing folder or column, a
/// feature array whose length is not the rank, a duplicate id, a null, NaN or infinite value each raise an
/// <see cref="InvalidDataException"/> whose message starts with the offending file.
/// </summary>
public static class SparkAlsImport
{
    public const string AlsModelClass = "org.apache.spark.ml.recommendation.ALSModel";

    /// <summary>The metadata file, relative to the model folder.</summary>
    public const string MetadataFile = "metadata/part-00000";

    /// <summary>The folders of user and item factors.</summary>
    public const string UserFactorsFolder = "userFactors", ItemFactorsFolder = "itemFactors";

    /// <summary>The factor tables' columns: an integer id and an array of floats.</summary>
    public const string IdColumn = "id", FeaturesColumn = "features";

    /// <summary>
    /// The hyperparameters deploy/spark/als_train.py writes beside the model (one JSON object): Spark's metadata does
    /// not record regParam or implicitPrefs, so the import takes them from here when the file is present.
    /// </summary>
    public const string HyperparametersFile = "hyperparameters.json";

    /// <summary>Reads and validates the metadata file.</summary>
    public static SparkAlsMetadata ReadMetadata(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Spark model folder not found: {folder}");
        string metaFolder = Path.Combine(folder, "metadata");
        if (!Directory.Exists(metaFolder)) throw Error(folder, "not a saved Spark ALSModel: the metadata folder is missing");
        string file = Path.Combine(metaFolder, "part-00000");
        if (!File.Exists(file)) throw Error(metaFolder, "not a saved Spark ALSModel: metadata/part-00000 is missing");
        string? line = File.ReadLines(file).FirstOrDefault(l => l.Trim().Length > 0);
        if (line is null) throw Error(file, "the metadata file is empty");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw Error(file, $"the metadata is not valid JSON ({e.Message})");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Error(file, "the metadata is not a JSON object");
            string cls = String(root, "class") ?? throw Error(file, "the metadata has no \"class\"");
            if (cls != AlsModelClass) throw Error(file, $"the metadata's class is {cls}, not {AlsModelClass}");
            var paramMap = root.TryGetProperty("paramMap", out var pm) && pm.ValueKind == JsonValueKind.Object ? pm : default;
            var defaults = root.TryGetProperty("defaultParamMap", out var dm) && dm.ValueKind == JsonValueKind.Object ? dm : default;
            int? rank = Int(root, "rank", file);
            int? paramRank = paramMap.ValueKind == JsonValueKind.Object ? Int(paramMap, "rank", file) : null;
            if (rank is null && paramRank is null) throw Error(file, "the metadata has no \"rank\"");
            if (rank is not null && paramRank is not null && rank != paramRank)
                throw Error(file, $"the metadata's rank {rank} disagrees with its paramMap rank {paramRank}");
            int r = rank ?? paramRank!.Value;
            if (r <= 0) throw Error(file, $"the rank must be positive, not {r}");
            double? reg = Param(paramMap, defaults, "regParam") is { ValueKind: JsonValueKind.Number } rp ? rp.GetDouble() : null;
            bool? implicitPrefs = Param(paramMap, defaults, "implicitPrefs") is { ValueKind: JsonValueKind.True or JsonValueKind.False } ip ? ip.GetBoolean() : null;
            if (reg is null || implicitPrefs is null)
            {
                var (hpReg, hpImplicit) = ReadHyperparameters(folder);
                reg ??= hpReg;
                implicitPrefs ??= hpImplicit;
            }
            if (reg is < 0 or double.NaN) throw Error(file, $"regParam must be non-negative, not {reg}");
            return new SparkAlsMetadata(cls, String(root, "sparkVersion") ?? "", String(root, "uid") ?? "", r,
                ParamString(paramMap, defaults, "userCol") ?? "user", ParamString(paramMap, defaults, "itemCol") ?? "item",
                reg, implicitPrefs, ParamString(paramMap, defaults, "coldStartStrategy") ?? "nan");
        }
    }

    /// <summary>regParam and implicitPrefs from <see cref="HyperparametersFile"/> beside the model, when it is there.</summary>
    private static (double? RegParam, bool? ImplicitPrefs) ReadHyperparameters(string folder)
    {
        string file = Path.Combine(folder, HyperparametersFile);
        if (!File.Exists(file)) return (null, null);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Error(file, "the hyperparameters are not a JSON object");
            double? reg = root.TryGetProperty("regParam", out var r)
                ? r.ValueKind == JsonValueKind.Number ? r.GetDouble() : throw Error(file, $"\"regParam\" should be a number, not {r.GetRawText()}")
                : null;
            bool? implicitPrefs = root.TryGetProperty("implicitPrefs", out var i)
                ? i.ValueKind is JsonValueKind.True or JsonValueKind.False ? i.GetBoolean() : throw Error(file, $"\"implicitPrefs\" should be true or false, not {i.GetRawText()}")
                : null;
            return (reg, implicitPrefs);
        }
        catch (JsonException e)
        {
            throw Error(file, $"the hyperparameters are not valid JSON ({e.Message})");
        }
    }

    /// <summary>Reads every part file of one factor folder (userFactors or itemFactors), rows sorted by id.</summary>
    public static async Task<SparkFactorTable> ReadFactorsAsync(string folder, int rank, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder)) throw Error(folder, "not a saved Spark ALSModel: the factor folder is missing");
        var files = Directory.EnumerateFiles(folder, "*.parquet")
            .Where(f => Path.GetFileName(f) is var n && !n.StartsWith('.') && !n.StartsWith('_'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0) throw Error(folder, "no Parquet part files (*.parquet) in the factor folder");
        var ids = new List<long>();
        var fileOf = new List<int>();
        var features = new GrowableFloats();
        for (int fi = 0; fi < files.Length; fi++)
        {
            int before = ids.Count;
            try
            {
                await ReadPartAsync(files[fi], rank, ids, features, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not InvalidDataException and not OperationCanceledException)
            {
                throw new InvalidDataException($"{files[fi]}: not a readable Parquet factor file: {e.Message}", e);
            }
            for (int k = before; k < ids.Count; k++) fileOf.Add(fi);
        }
        // Dense ids in ascending raw-id order: the same model whatever order Spark's partitions came in.
        var order = new int[ids.Count];
        for (int k = 0; k < order.Length; k++) order[k] = k;
        var idArray = ids.ToArray();
        Array.Sort(idArray.ToArray(), order);
        var sortedIds = new long[order.Length];
        var sorted = new float[(long)order.Length * rank];
        var all = features.Span;
        for (int k = 0; k < order.Length; k++)
        {
            sortedIds[k] = idArray[order[k]];
            if (k > 0 && sortedIds[k] == sortedIds[k - 1])
            {
                string a = files[fileOf[order[k - 1]]], b = files[fileOf[order[k]]];
                throw Error(b, a == b ? $"the id {sortedIds[k]} appears twice" : $"the id {sortedIds[k]} appears again (also in {Path.GetFileName(a)})");
            }
            all.Slice(order[k] * rank, rank).CopyTo(sorted.AsSpan(k * rank, rank));
        }
        return new SparkFactorTable(folder, rank, sortedIds, sorted, files.Length);
    }

    private static async Task ReadPartAsync(string file, int rank, List<long> ids, GrowableFloats features, CancellationToken cancellationToken)
    {
        await using var reader = await ParquetReader.CreateAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
        var schema = reader.Schema;
        var idField = schema.Fields.FirstOrDefault(f => f.Name == IdColumn) ?? throw Error(file, $"no \"id\" column (columns: {Columns(schema)})");
        if (idField is not DataField idData || (idData.ClrType != typeof(int) && idData.ClrType != typeof(long)) || idData.IsArray)
            throw Error(file, $"the \"id\" column should hold 32-bit integers, not {Describe(idField)}");
        var featuresField = schema.Fields.FirstOrDefault(f => f.Name == FeaturesColumn) ?? throw Error(file, $"no \"features\" column (columns: {Columns(schema)})");
        if (featuresField is not ListField { Item: DataField element } || element.ClrType != typeof(float))
            throw Error(file, $"the \"features\" column should be an array of 32-bit floats, not {Describe(featuresField)}");
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            using var idRaw = await group.ReadRawColumnDataBaseAsync(idData, cancellationToken).ConfigureAwait(false);
            using var featureRaw = await group.ReadRawColumnDataBaseAsync(element, cancellationToken).ConfigureAwait(false);
            Decode(file, g, idData, idRaw, element, (RawColumnData<float>)featureRaw, rank, ids, features);
        }
    }

    /// <summary>One row group: the ids, then the features list rebuilt from its repetition and definition levels.</summary>
    private static void Decode(string file, int g, DataField idField, RawColumnData idRaw, DataField element, RawColumnData<float> featureRaw,
        int rank, List<long> ids, GrowableFloats features)
    {
        int start = ids.Count;
        if (idField.IsNullable && CountDefined(idRaw.DefinitionLevels, idField.MaxDefinitionLevel) != idRaw.DefinitionLevels.Length)
            throw Error(file, $"row group {g} has a null id");
        if (idRaw is RawColumnData<int> ints)
        {
            foreach (int v in ints.Values) ids.Add(v);
        }
        else
        {
            foreach (long v in ((RawColumnData<long>)idRaw).Values) ids.Add(v);
        }
        int rows = ids.Count - start;
        int maxDef = element.MaxDefinitionLevel;
        ReadOnlySpan<float> fv = featureRaw.Values;
        ReadOnlySpan<int> rep = featureRaw.RepetitionLevels;
        ReadOnlySpan<int> def = maxDef > 0 ? featureRaw.DefinitionLevels : default;
        // Values are either compact (defined ones only) or one per level; both read the same when nothing is null.
        bool compact = fv.Length != rep.Length;
        int row = -1, length = 0, next = 0;
        var dst = features.Grow(rows * rank);
        for (int k = 0; k < rep.Length; k++)
        {
            if (rep[k] == 0)
            {
                if (row >= 0) CheckLength(file, ids[start + row], length, rank);
                row++;
                length = 0;
                if (row >= rows) throw Error(file, $"row group {g} has more features arrays than ids ({rows})");
            }
            if (def.Length > 0 && def[k] < maxDef)
                throw Error(file, $"the features of id {ids[start + row]} are null or hold a null value");
            float value = compact ? fv[next++] : fv[k];
            if (!float.IsFinite(value))
                throw Error(file, $"the features of id {ids[start + row]} hold {value.ToString(CultureInfo.InvariantCulture)} at position {length}");
            if (length < rank) dst[row * rank + length] = value;
            length++;
        }
        if (row >= 0) CheckLength(file, ids[start + row], length, rank);
        if (row + 1 != rows) throw Error(file, $"row group {g} has {rows} ids but {row + 1} features arrays");
    }

    private static int CountDefined(ReadOnlySpan<int> levels, int max)
    {
        int n = 0;
        foreach (int l in levels) if (l == max) n++;
        return n;
    }

    private static void CheckLength(string file, long id, int length, int rank)
    {
        if (length != rank) throw Error(file, $"the features of id {id} have {length} values but the metadata's rank is {rank}");
    }

    /// <summary>Reads, validates and converts a saved ALSModel folder into a model that serves like ours.</summary>
    public static async Task<SparkAlsImportResult> ImportAsync(string folder, SparkAlsImportOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SparkAlsImportOptions();
        if (!(options.Scale.Max > options.Scale.Min)) throw new ArgumentException($"The scale's maximum {options.Scale.Max} must be above its minimum {options.Scale.Min}.", nameof(options));
        var meta = ReadMetadata(folder);
        string metaFile = Path.Combine(folder, "metadata", "part-00000");
        if (meta.ImplicitPrefs == true)
            throw Error(metaFile, "implicitPrefs is true: the factors predict preferences, not ratings; only explicit-feedback ALS models can be imported");
        var users = await ReadFactorsAsync(Path.Combine(folder, UserFactorsFolder), meta.Rank, cancellationToken).ConfigureAwait(false);
        var items = await ReadFactorsAsync(Path.Combine(folder, ItemFactorsFolder), meta.Rank, cancellationToken).ConfigureAwait(false);
        if (users.Count == 0) throw Error(users.Folder, "the user factors hold no rows");
        if (items.Count == 0) throw Error(items.Folder, "the item factors hold no rows");
        var alsOptions = new SparkAlsOptions
        {
            Rank = meta.Rank,
            RegParam = options.RegParam ?? meta.RegParam ?? 0.1,
            SparkVersion = meta.SparkVersion,
            Uid = meta.Uid,
            UserCol = meta.UserCol,
            ItemCol = meta.ItemCol,
        };
        alsOptions.Validate();
        var (userMap, userRows, knownUsers, _) = Arrange(users, options.AlignTo?.UserIds, appendUnknown: true);
        var (itemMap, itemRows, knownItems, dropped) = Arrange(items, options.AlignTo?.ItemIds, appendUnknown: false);
        var model = SparkAlsModel.FromFactors(alsOptions, userMap, userRows, knownUsers, itemMap, itemRows, knownItems, options.Scale, folder);
        return new SparkAlsImportResult(model, meta, users.Count, items.Count, dropped);
    }

    /// <summary>Reads, validates and converts a saved ALSModel folder (see <see cref="ImportAsync"/>).</summary>
    public static async Task<SparkAlsModel> LoadAsync(string folder, SparkAlsImportOptions? options = null, CancellationToken cancellationToken = default) =>
        (await ImportAsync(folder, options, cancellationToken).ConfigureAwait(false)).Model;

    /// <summary>Synchronous <see cref="ImportAsync"/> for command-line use.</summary>
    public static SparkAlsImportResult Import(string folder, SparkAlsImportOptions? options = null) =>
        ImportAsync(folder, options).GetAwaiter().GetResult();

    /// <summary>Synchronous <see cref="LoadAsync"/>.</summary>
    public static SparkAlsModel Load(string folder, SparkAlsImportOptions? options = null) => Import(folder, options).Model;

    /// <summary>The id map, factor rows and known flags of one side, in the table's id order or aligned to <paramref name="target"/>.</summary>
    private static (IdMap Map, float[] Rows, byte[] Known, int Dropped) Arrange(SparkFactorTable table, IdMap? target, bool appendUnknown)
    {
        int f = table.Rank;
        if (target is null)
        {
            var all = new byte[table.Count];
            all.AsSpan().Fill(1);
            return (IdMap.FromNumeric(table.Ids), table.Features, all, 0);
        }
        var map = target.IsNumeric ? IdMap.FromNumeric(target.NumericIds) : IdMap.FromStrings(target.StringIds);
        var dense = new int[table.Count];
        int dropped = 0;
        for (int k = 0; k < table.Count; k++)
        {
            int d = map.ToDense(table.Ids[k]);
            if (d < 0 && appendUnknown) d = map.GetOrAdd(table.Ids[k]);
            if (d < 0) dropped++;
            dense[k] = d;
        }
        var rows = new float[(long)map.Count * f];
        var known = new byte[map.Count];
        for (int k = 0; k < table.Count; k++)
        {
            if (dense[k] < 0) continue;
            table.Row(k).CopyTo(rows.AsSpan(dense[k] * f, f));
            known[dense[k]] = 1;
        }
        return (map, rows, known, dropped);
    }

    private static InvalidDataException Error(string path, string problem) => new($"{path}: {problem}.");

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name, string file)
    {
        if (!e.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int n)) throw Error(file, $"\"{name}\" should be an integer, not {v.GetRawText()}");
        return n;
    }

    /// <summary>A param as Spark resolves it: the explicit paramMap, else the defaultParamMap (Spark 2.4+).</summary>
    private static JsonElement? Param(JsonElement paramMap, JsonElement defaults, string name)
    {
        if (paramMap.ValueKind == JsonValueKind.Object && paramMap.TryGetProperty(name, out var v)) return v;
        if (defaults.ValueKind == JsonValueKind.Object && defaults.TryGetProperty(name, out var d)) return d;
        return null;
    }

    private static string? ParamString(JsonElement paramMap, JsonElement defaults, string name) =>
        Param(paramMap, defaults, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    private static string Columns(ParquetSchema schema) => string.Join(", ", schema.Fields.Select(f => f.Name));

    private static string Describe(Field field) => field switch
    {
        ListField { Item: DataField d } => $"a list of {d.ClrType.Name}",
        ListField => "a list of groups",
        DataField d => d.IsArray ? $"an array of {d.ClrType.Name}" : d.ClrType.Name,
        _ => field.SchemaType.ToString(),
    };

    /// <summary>A float buffer that grows by doubling (factor tables run to tens of millions of values).</summary>
    private sealed class GrowableFloats
    {
        private float[] _data = new float[1024];

        public int Length { get; private set; }

        public Span<float> Span => _data.AsSpan(0, Length);

        /// <summary>Appends <paramref name="count"/> zeros and returns them to fill.</summary>
        public Span<float> Grow(int count)
        {
            if (Length + count > _data.Length) Array.Resize(ref _data, Math.Max(_data.Length * 2, Length + count));
            var span = _data.AsSpan(Length, count);
            span.Clear();
            Length += count;
            return span;
        }
    }
}
