using System.Buffers.Text;
using System.Text;

namespace MovieRec.Core.Data.Synthetic;

/// <summary>File layout of a synthetic dataset.</summary>
public enum SyntheticFormat
{
    /// <summary>MovieLens csv releases: ratings.csv, movies.csv, links.csv with headers.</summary>
    Csv,

    /// <summary>ml-10m style <c>::</c> files without headers: ratings.dat, movies.dat.</summary>
    Dat,
}

/// <summary>
/// Shape and seed of a synthetic dataset. Defaults give ml-latest-small's shape.
/// </summary>
public sealed record SyntheticOptions
{
    /// <summary>Users (raw ids 1..Users). Default 610.</summary>
    public int Users { get; init; } = 610;

    /// <summary>Movies in the catalog (raw ids 1..Items); the least popular may get no rating. Default 9742.</summary>
    public int Items { get; init; } = 9_742;

    /// <summary>Ratings, exactly; no (user, item) pair twice. Default 100836.</summary>
    public int Ratings { get; init; } = 100_836;

    public int Seed { get; init; } = 42;

    /// <summary>Every user rates at least this many movies when Ratings allows (MovieLens keeps users with 20+). Default 20.</summary>
    public int MinRatingsPerUser { get; init; } = 20;

    /// <summary>Zipf exponent s of item popularity: the item of popularity rank r is drawn with weight 1/(r+10)^s. Default 0.9.</summary>
    public double PopularityExponent { get; init; } = 0.9;

    /// <summary>σ of the log-normal user activity weights. Default 1.1.</summary>
    public double ActivitySigma { get; init; } = 1.1;

    /// <summary>Rank of the taste component p_u·q_i, so models have something to learn. Default 8.</summary>
    public int Factors { get; init; } = 8;

    /// <summary>
    /// A shape for <paramref name="ratings"/> ratings when users or items are not given: both follow the MovieLens
    /// releases' growth, a power law through ml-latest-small (100,836 ratings: 610 users, 9,742 movies) and ml-25m
    /// (25,000,095: 162,541 users, 59,047 movies), so those two sizes give their shapes and 25 million ratings fit.
    /// Users are raised when the pairs would be too few (at least two user-movie pairs per rating).
    /// </summary>
    public static SyntheticOptions ForRatings(int ratings, int? users = null, int? items = null)
    {
        if (ratings < 1) throw new ArgumentException($"Ratings must be at least 1, not {ratings}.", nameof(ratings));
        double growth = ratings / (double)SmallRatings;
        int u = users ?? (int)Math.Clamp(Math.Round(SmallUsers * Math.Pow(growth, UserExponent)), 1, ratings);
        int i = items ?? (int)Math.Clamp(Math.Round(SmallItems * Math.Pow(growth, ItemExponent)), 1, int.MaxValue);
        if (users is null && (long)u * i < 2L * ratings)
            u = (int)Math.Min(ratings, (2L * ratings + i - 1) / i);
        return new SyntheticOptions { Users = u, Items = i, Ratings = ratings };
    }

    private const int SmallRatings = 100_836, SmallUsers = 610, SmallItems = 9_742;

    // ln(162541 / 610) / ln(25000095 / 100836) and ln(59047 / 9742) / ln(25000095 / 100836).
    private static readonly double UserExponent = Math.Log(162_541.0 / SmallUsers) / Math.Log(25_000_095.0 / SmallRatings);
    private static readonly double ItemExponent = Math.Log(59_047.0 / SmallItems) / Math.Log(25_000_095.0 / SmallRatings);

    public void Validate()
    {
        if (Users < 1) throw new ArgumentException("Users must be at least 1.", nameof(Users));
        if (Items < 1) throw new ArgumentException("Items must be at least 1.", nameof(Items));
        if (Ratings < Users) throw new ArgumentException($"Ratings ({Ratings}) must be at least Users ({Users}): every user rates something.", nameof(Ratings));
        if ((long)Users * Items < Ratings)
            throw new ArgumentException($"Ratings ({Ratings}) cannot exceed Users x Items ({(long)Users * Items}) without duplicate pairs.", nameof(Ratings));
        if (MinRatingsPerUser < 1) throw new ArgumentException("MinRatingsPerUser must be at least 1.", nameof(MinRatingsPerUser));
        if (!(PopularityExponent >= 0) || PopularityExponent > 5) throw new ArgumentException("PopularityExponent must be in [0, 5].", nameof(PopularityExponent));
        if (!(ActivitySigma >= 0) || ActivitySigma > 5) throw new ArgumentException("ActivitySigma must be in [0, 5].", nameof(ActivitySigma));
        if (Factors < 0 || Factors > 256) throw new ArgumentException("Factors must be in [0, 256].", nameof(Factors));
    }
}

/// <summary>What <see cref="SyntheticDatasetGenerator.Write"/> produced.</summary>
public sealed record SyntheticWriteResult(string Folder, IReadOnlyList<string> Files, int Users, int Items, int Ratings);

/// <summary>
/// Synthetic MovieLens-format ratings for scale tests, seeded and deterministic (the same options give the same
/// bytes whatever the thread count).
/// <para>
/// Model: item popularity is Zipf-like (rank r has weight 1/(r+10)^s, ranks shuffled over movie ids); user activity is
/// log-normal with a floor of <see cref="SyntheticOptions.MinRatingsPerUser"/>; each user draws that many distinct
/// movies by popularity (alias sampling with rejection, or Efraimidis–Spirakis weighted sampling without replacement
/// for very heavy users). A rating is x = μ + b_u + b_i + p_u·q_i + ε with μ = 3.45, b_u ~ N(0, 0.45²),
/// b_i ~ N(0, 0.35²) plus a small bonus for popular movies, p_u, q_i ~ N(0, 0.3²)^k and ε ~ N(0, 0.8²), rounded to
/// a half star by users who use half stars and to a whole star by the rest, clipped to [0.5, 5]: mean ≈ 3.5 with most
/// mass on 3 and 4, like ml-latest-small. Timestamps increase through each user's rows, as a user's history does, and stay between 1996 and 2023.
/// </para>
/// </summary>
public static class SyntheticDatasetGenerator
{
    private const double Mu = 3.45;
    private const int UsersPerBlock = 256;
    private const int PopularityOffset = 10; // flattens the head: no movie is rated by nearly every user
    private const long FirstTimestamp = 828_000_000; // 1996, the first MovieLens ratings
    private const long LastTimestamp = 1_690_000_000; // 2023

    /// <summary>The MovieLens genre list (ml-latest).</summary>
    public static IReadOnlyList<string> Genres { get; } =
    [
        "Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
        "Film-Noir", "Horror", "IMAX", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ];

    /// <summary>The ratings in memory (users and items keep raw ids 1..U and 1..I).</summary>
    public static RatingDataset Generate(SyntheticOptions options)
    {
        var model = new Model(options);
        int n = options.Ratings;
        var users = new int[n];
        var items = new int[n];
        var values = new float[n];
        var timestamps = new long[n];
        int blocks = (options.Users + UsersPerBlock - 1) / UsersPerBlock;
        Parallel.For(0, blocks, () => new Scratch(options.Items), (b, _, scratch) =>
        {
            int end = Math.Min(options.Users, (b + 1) * UsersPerBlock);
            for (int u = b * UsersPerBlock; u < end; u++)
            {
                int start = model.Offsets[u], count = model.Counts[u];
                model.User(u, scratch, items.AsSpan(start, count), scratch.Stars.AsSpan(0, count), timestamps.AsSpan(start, count));
                users.AsSpan(start, count).Fill(u);
                for (int k = 0; k < count; k++) values[start + k] = scratch.Stars[k] * 0.5f;
            }
            return scratch;
        }, _ => { });
        var userIds = IdMap.CreateNumeric(options.Users);
        for (int u = 1; u <= options.Users; u++) userIds.GetOrAdd(u);
        var itemIds = IdMap.CreateNumeric(options.Items);
        for (int i = 1; i <= options.Items; i++) itemIds.GetOrAdd(i);
        return new RatingDataset(userIds, itemIds, users, items, values, timestamps, RatingScale.HalfStars);
    }

    /// <summary>
    /// Writes the dataset to <paramref name="folder"/> (created if needed): ratings.csv, movies.csv and links.csv (with
    /// empty imdbId/tmdbId, so no real metadata is joined to invented movies), or ratings.dat and movies.dat.
    /// </summary>
    public static SyntheticWriteResult Write(SyntheticOptions options, string folder, SyntheticFormat format)
    {
        var model = new Model(options);
        Directory.CreateDirectory(folder);
        bool csv = format == SyntheticFormat.Csv;
        var files = new List<string>();
        var ratingsPath = Path.Combine(folder, csv ? "ratings.csv" : "ratings.dat");
        WriteRatings(options, model, ratingsPath, csv);
        files.Add(ratingsPath);
        var moviesPath = Path.Combine(folder, csv ? "movies.csv" : "movies.dat");
        WriteMovies(options, moviesPath, csv);
        files.Add(moviesPath);
        if (csv)
        {
            var linksPath = Path.Combine(folder, "links.csv");
            using var links = OpenWriter(linksPath);
            var buffer = new ByteBuffer(1 << 16);
            buffer.Append("movieId,imdbId,tmdbId\n"u8);
            for (int i = 1; i <= options.Items; i++)
            {
                buffer.AppendInt(i);
                buffer.Append(",,\n"u8);
                if (buffer.Length > 60_000) buffer.FlushTo(links);
            }
            buffer.FlushTo(links);
            files.Add(linksPath);
        }
        return new SyntheticWriteResult(folder, files, options.Users, options.Items, options.Ratings);
    }

    private static FileStream OpenWriter(string path) =>
        new(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.SequentialScan);

    private static void WriteRatings(SyntheticOptions options, Model model, string path, bool csv)
    {
        using var file = OpenWriter(path);
        if (csv) file.Write("userId,movieId,rating,timestamp\n"u8);
        var separator = csv ? ","u8.ToArray() : "::"u8.ToArray();
        int blocks = (options.Users + UsersPerBlock - 1) / UsersPerBlock;
        int batch = Math.Max(2, Environment.ProcessorCount * 4);
        var buffers = new ByteBuffer[batch];
        for (int i = 0; i < batch; i++) buffers[i] = new ByteBuffer(1 << 20);
        for (int first = 0; first < blocks; first += batch)
        {
            int last = Math.Min(blocks, first + batch);
            // Blocks are generated in parallel and written in order, so the file does not depend on the thread count.
            Parallel.For(first, last, () => new Scratch(options.Items), (b, _, scratch) =>
            {
                var buffer = buffers[b - first];
                buffer.Clear();
                int end = Math.Min(options.Users, (b + 1) * UsersPerBlock);
                for (int u = b * UsersPerBlock; u < end; u++)
                {
                    int count = model.Counts[u];
                    var items = scratch.Items.AsSpan(0, count);
                    var stars = scratch.Stars.AsSpan(0, count);
                    var times = scratch.Times.AsSpan(0, count);
                    model.User(u, scratch, items, stars, times);
                    for (int k = 0; k < count; k++)
                    {
                        buffer.AppendInt(u + 1);
                        buffer.Append(separator);
                        buffer.AppendInt(items[k] + 1);
                        buffer.Append(separator);
                        buffer.AppendStars(stars[k], csv);
                        buffer.Append(separator);
                        buffer.AppendLong(times[k]);
                        buffer.Append((byte)'\n');
                    }
                }
                return scratch;
            }, _ => { });
            for (int b = first; b < last; b++) buffers[b - first].FlushTo(file);
        }
    }

    private static void WriteMovies(SyntheticOptions options, string path, bool csv)
    {
        using var file = OpenWriter(path);
        var rng = new Rng(Mix(options.Seed, 0x6d6f76));
        var buffer = new ByteBuffer(1 << 16);
        var separator = csv ? ","u8 : "::"u8;
        if (csv) buffer.Append("movieId,title,genres\n"u8);
        Span<int> picked = stackalloc int[3];
        for (int i = 1; i <= options.Items; i++)
        {
            // Release years lean recent, as MovieLens catalogs do.
            int year = 2023 - (int)(103 * Math.Pow(rng.NextDouble(), 2.2));
            buffer.AppendInt(i);
            buffer.Append(separator);
            buffer.Append("Synthetic Movie "u8);
            buffer.AppendInt(i);
            buffer.Append(" ("u8);
            buffer.AppendInt(year);
            buffer.Append((byte)')');
            buffer.Append(separator);
            int genres = 1 + (int)rng.NextBelow(3);
            for (int g = 0; g < genres; g++)
            {
                int pick;
                do pick = (int)rng.NextBelow((uint)Genres.Count);
                while (picked[..g].Contains(pick));
                picked[g] = pick;
                if (g > 0) buffer.Append((byte)'|');
                buffer.AppendAscii(Genres[pick]);
            }
            buffer.Append((byte)'\n');
            if (buffer.Length > 60_000) buffer.FlushTo(file);
        }
        buffer.FlushTo(file);
    }

    private static ulong Mix(int seed, long stream)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)stream * 0xBF58476D1CE4E5B9UL + 0x94D049BB133111EBUL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Everything shared by all users: item popularity, biases and factors, and each user's rating count.</summary>
    private sealed class Model
    {
        private readonly SyntheticOptions _o;
        private readonly double[] _aliasProb;
        private readonly int[] _alias;
        private readonly int[] _rankToItem;
        private readonly double[] _weightByItem;
        private readonly float[] _itemBias;
        private readonly float[] _itemFactors;

        public Model(SyntheticOptions options)
        {
            options.Validate();
            _o = options;
            int n = options.Items, k = options.Factors;
            var rng = new Rng(Mix(options.Seed, -1));

            var weights = new double[n];
            for (int r = 0; r < n; r++) weights[r] = Math.Pow(r + PopularityOffset, -options.PopularityExponent);
            (_aliasProb, _alias) = BuildAlias(weights);
            _rankToItem = new int[n];
            for (int i = 0; i < n; i++) _rankToItem[i] = i;
            for (int i = n - 1; i > 0; i--)
            {
                int j = (int)rng.NextBelow((uint)(i + 1));
                (_rankToItem[i], _rankToItem[j]) = (_rankToItem[j], _rankToItem[i]);
            }
            _weightByItem = new double[n];
            _itemBias = new float[n];
            _itemFactors = new float[n * k];
            double logTop = Math.Log(weights[0]), logBottom = Math.Log(weights[n - 1]);
            for (int r = 0; r < n; r++)
            {
                int item = _rankToItem[r];
                _weightByItem[item] = weights[r];
                // Popular movies are rated a little higher: +0.1 for the top, -0.1 for the tail.
                double popularity = logTop == logBottom ? 1 : (Math.Log(weights[r]) - logBottom) / (logTop - logBottom);
                _itemBias[item] = (float)(0.35 * rng.NextGaussian() + 0.2 * popularity - 0.1);
                for (int f = 0; f < k; f++) _itemFactors[item * k + f] = (float)(0.3 * rng.NextGaussian());
            }

            Counts = UserCounts(options, rng);
            Offsets = new int[options.Users + 1];
            for (int u = 0; u < options.Users; u++) Offsets[u + 1] = Offsets[u] + Counts[u];
        }

        public int[] Counts { get; }

        public int[] Offsets { get; }

        /// <summary>Log-normal activity with a floor; the counts sum to Ratings exactly and none exceeds Items.</summary>
        private static int[] UserCounts(SyntheticOptions o, Rng rng)
        {
            int users = o.Users;
            int floor = (int)Math.Min(Math.Min(o.MinRatingsPerUser, o.Ratings / users), o.Items);
            var weights = new double[users];
            double total = 0;
            for (int u = 0; u < users; u++)
            {
                weights[u] = Math.Exp(o.ActivitySigma * rng.NextGaussian());
                total += weights[u];
            }
            long extra = o.Ratings - (long)floor * users;
            var counts = new int[users];
            long assigned = 0;
            for (int u = 0; u < users; u++)
            {
                long c = floor + (long)Math.Floor(extra * weights[u] / total);
                counts[u] = (int)Math.Min(c, o.Items);
                assigned += counts[u];
            }
            // Hand out what rounding and the Items cap left over, one rating at a time to users with room.
            long left = o.Ratings - assigned;
            int cursor = (int)rng.NextBelow((uint)users);
            while (left > 0)
            {
                if (counts[cursor] < o.Items)
                {
                    counts[cursor]++;
                    left--;
                }
                cursor = cursor + 1 == users ? 0 : cursor + 1;
            }
            return counts;
        }

        /// <summary>One user's ratings: distinct items, half stars (1..10) and increasing timestamps.</summary>
        public void User(int u, Scratch scratch, Span<int> items, Span<byte> stars, Span<long> times)
        {
            var rng = new Rng(Mix(_o.Seed, u));
            int count = items.Length, n = _o.Items, k = _o.Factors;
            if (count > n / 8 && count > 64)
                SampleWithoutReplacement(ref rng, scratch, items);
            else
                SampleByRejection(ref rng, scratch, items);

            var p = scratch.UserFactors.AsSpan(0, k);
            for (int f = 0; f < k; f++) p[f] = (float)(0.3 * rng.NextGaussian());
            double userBias = 0.45 * rng.NextGaussian();
            // About a fifth of users only give whole stars (half stars came to MovieLens in 2003).
            double halfStarShare = rng.NextDouble() < 0.2 ? 0 : 0.45 + 0.5 * rng.NextDouble();
            double noise = 0.8;
            for (int j = 0; j < count; j++)
            {
                int item = items[j];
                double x = Mu + userBias + _itemBias[item] + noise * rng.NextGaussian();
                if (k > 0)
                    x += System.Numerics.Tensors.TensorPrimitives.Dot<float>(p, _itemFactors.AsSpan(item * k, k));
                int s = rng.NextDouble() < halfStarShare ? (int)Math.Round(x * 2) : 2 * (int)Math.Round(x);
                stars[j] = (byte)Math.Clamp(s, 1, 10);
            }

            // A history starts some time between 1996 and 2023 and moves forward: seconds to minutes between
            // ratings in a session, now and then a break of days to months.
            long span = LastTimestamp - FirstTimestamp;
            long start = FirstTimestamp + (long)(rng.NextDouble() * span * 0.9);
            long offset = 0;
            for (int j = 0; j < count; j++)
            {
                offset += 1 + rng.NextBelow(600);
                if (rng.NextDouble() < 0.02) offset += 86_400 + rng.NextBelow(86_400 * 90);
                times[j] = offset;
            }
            // A very active user's breaks could run past 2023: squeeze the history into the time left.
            long room = LastTimestamp - start;
            double squeeze = offset > room ? room / (double)offset : 1;
            long previous = start - 1;
            for (int j = 0; j < count; j++)
            {
                long t = start + (long)(times[j] * squeeze);
                if (t <= previous) t = previous + 1;
                times[j] = previous = t;
            }
        }

        private void SampleByRejection(ref Rng rng, Scratch scratch, Span<int> items)
        {
            var marks = scratch.Marks;
            int stamp = ++scratch.Stamp;
            if (stamp == int.MaxValue)
            {
                Array.Clear(marks);
                scratch.Stamp = stamp = 1;
            }
            int n = _aliasProb.Length;
            for (int j = 0; j < items.Length;)
            {
                int r = (int)rng.NextBelow((uint)n);
                if (rng.NextDouble() >= _aliasProb[r]) r = _alias[r];
                int item = _rankToItem[r];
                if (marks[item] == stamp) continue;
                marks[item] = stamp;
                items[j++] = item;
            }
        }

        /// <summary>Efraimidis–Spirakis: the count items with the largest U^(1/w) (here log(U)/w) are a weighted sample without replacement.</summary>
        private void SampleWithoutReplacement(ref Rng rng, Scratch scratch, Span<int> items)
        {
            int n = _weightByItem.Length;
            var keys = scratch.Keys;
            var order = scratch.Order;
            for (int i = 0; i < n; i++)
            {
                keys[i] = -Math.Log(1 - rng.NextDouble()) / _weightByItem[i]; // smaller is better
                order[i] = i;
            }
            Array.Sort(keys, order, 0, n);
            order.AsSpan(0, items.Length).CopyTo(items);
        }

        private static (double[] Prob, int[] Alias) BuildAlias(double[] weights)
        {
            // Vose's alias method: O(n) build, O(1) draw.
            int n = weights.Length;
            var prob = new double[n];
            var alias = new int[n];
            double sum = 0;
            foreach (var w in weights) sum += w;
            var scaled = new double[n];
            var small = new Stack<int>();
            var large = new Stack<int>();
            for (int i = 0; i < n; i++)
            {
                scaled[i] = weights[i] * n / sum;
                (scaled[i] < 1 ? small : large).Push(i);
            }
            while (small.Count > 0 && large.Count > 0)
            {
                int s = small.Pop(), l = large.Pop();
                prob[s] = scaled[s];
                alias[s] = l;
                scaled[l] = scaled[l] + scaled[s] - 1;
                (scaled[l] < 1 ? small : large).Push(l);
            }
            while (large.Count > 0) prob[large.Pop()] = 1;
            while (small.Count > 0) prob[small.Pop()] = 1;
            return (prob, alias);
        }
    }

    /// <summary>Per-thread buffers, so generating a user allocates nothing.</summary>
    private sealed class Scratch(int items)
    {
        public int[] Marks { get; } = new int[items];
        public int Stamp { get; set; }
        public int[] Items { get; } = new int[items];
        public byte[] Stars { get; } = new byte[items];
        public long[] Times { get; } = new long[items];
        public float[] UserFactors { get; } = new float[256];
        private double[]? _keys;
        private int[]? _order;
        public double[] Keys => _keys ??= new double[items];
        public int[] Order => _order ??= new int[items];
    }

    /// <summary>xoshiro256** seeded by SplitMix64: fast, and the same sequence on every platform.</summary>
    private struct Rng
    {
        private ulong _s0, _s1, _s2, _s3;
        private double _spare;
        private bool _hasSpare;

        public Rng(ulong seed)
        {
            _s0 = SplitMix(ref seed);
            _s1 = SplitMix(ref seed);
            _s2 = SplitMix(ref seed);
            _s3 = SplitMix(ref seed);
            _spare = 0;
            _hasSpare = false;
        }

        private static ulong SplitMix(ref ulong x)
        {
            ulong z = x += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public ulong Next()
        {
            ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
            ulong t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = ulong.RotateLeft(_s3, 45);
            return result;
        }

        /// <summary>Uniform in [0, 1).</summary>
        public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

        /// <summary>Uniform in [0, bound) (Lemire's multiply-shift; the bias is below 2^-32 for our bounds).</summary>
        public uint NextBelow(uint bound) => (uint)(((Next() >> 32) * bound) >> 32);

        public double NextGaussian()
        {
            if (_hasSpare)
            {
                _hasSpare = false;
                return _spare;
            }
            // Marsaglia's polar method.
            double x, y, s;
            do
            {
                x = 2 * NextDouble() - 1;
                y = 2 * NextDouble() - 1;
                s = x * x + y * y;
            }
            while (s >= 1 || s == 0);
            double m = Math.Sqrt(-2 * Math.Log(s) / s);
            _spare = y * m;
            _hasSpare = true;
            return x * m;
        }
    }

    /// <summary>A growable byte buffer with allocation-free number formatting.</summary>
    private sealed class ByteBuffer(int capacity)
    {
        private byte[] _bytes = new byte[capacity];

        public int Length { get; private set; }

        public void Clear() => Length = 0;

        private Span<byte> Reserve(int n)
        {
            if (Length + n > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + n));
            return _bytes.AsSpan(Length);
        }

        public void Append(byte b)
        {
            Reserve(1)[0] = b;
            Length++;
        }

        public void Append(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(Reserve(bytes.Length));
            Length += bytes.Length;
        }

        public void AppendAscii(string text)
        {
            Length += Encoding.ASCII.GetBytes(text, Reserve(text.Length));
        }

        public void AppendInt(int value)
        {
            Utf8Formatter.TryFormat(value, Reserve(11), out int written);
            Length += written;
        }

        public void AppendLong(long value)
        {
            Utf8Formatter.TryFormat(value, Reserve(20), out int written);
            Length += written;
        }

        /// <summary>Half stars as MovieLens writes them: "4.0" and "3.5" in csv; "4" and "3.5" in .dat.</summary>
        public void AppendStars(byte halfStars, bool csv)
        {
            var span = Reserve(3);
            span[0] = (byte)('0' + halfStars / 2);
            if (halfStars % 2 == 1)
            {
                span[1] = (byte)'.';
                span[2] = (byte)'5';
                Length += 3;
            }
            else if (csv)
            {
                span[1] = (byte)'.';
                span[2] = (byte)'0';
                Length += 3;
            }
            else
            {
                Length += 1;
            }
        }

        public void FlushTo(Stream stream)
        {
            stream.Write(_bytes, 0, Length);
            Length = 0;
        }
    }
}
