using System.Collections;

namespace MovieRec.Core.Data;

/// <summary>
/// The ratings' Unix timestamps (seconds), stored in 4 bytes each: <see cref="Epoch"/> (the dataset's earliest
/// timestamp) plus an unsigned 32-bit offset per rating. Read it like a <c>long[]</c>: <c>Timestamps[k]</c> is the full
/// 64-bit value, with no allocation.
/// </summary>
/// <remarks>
/// Why offsets from a per-dataset epoch and not <c>int</c> seconds since 1970: an <c>int</c> ends in January 2038 and
/// cannot hold dates before 1901, so a file with such a date would fail to load or be altered; offsets from the
/// dataset's own minimum cover any span of up to 136 years (<see cref="uint.MaxValue"/> seconds) anywhere on the
/// 64-bit time line, exactly. A dataset spanning more than that is refused with both extremes named (it is almost
/// certainly a file with a unit mistake, milliseconds for seconds). Half the bytes of a <c>long[]</c>: 95 MiB less at
/// 25 million ratings.
/// </remarks>
public readonly struct TimestampColumn : IReadOnlyList<long>, IEquatable<TimestampColumn>
{
    private readonly uint[]? _offsets;

    /// <summary>A column over <paramref name="offsets"/> seconds after <paramref name="epoch"/> (shared, not copied).</summary>
    public TimestampColumn(long epoch, uint[] offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        Epoch = epoch;
        _offsets = offsets;
    }

    /// <summary>The timestamp every offset counts from: the earliest one when built by <see cref="From"/>.</summary>
    public long Epoch { get; }

    /// <summary>Seconds after <see cref="Epoch"/>, one per rating (what a model file stores).</summary>
    public ReadOnlySpan<uint> Offsets => _offsets;

    public int Length => _offsets?.Length ?? 0;

    int IReadOnlyCollection<long>.Count => Length;

    /// <summary>The timestamp of rating <paramref name="k"/>, in seconds since 1970.</summary>
    public long this[int k] => Epoch + _offsets![k];

    /// <summary>
    /// The column for <paramref name="seconds"/>; throws <see cref="OverflowException"/> naming the earliest and latest
    /// values when they are more than <see cref="uint.MaxValue"/> seconds (136 years) apart (the loaders add the file).
    /// </summary>
    public static TimestampColumn From(ReadOnlySpan<long> seconds)
    {
        if (seconds.IsEmpty) return new TimestampColumn(0, []);
        long min = long.MaxValue, max = long.MinValue;
        foreach (long t in seconds)
        {
            if (t < min) min = t;
            if (t > max) max = t;
        }
        if (unchecked((ulong)max - (ulong)min) > uint.MaxValue)
            throw new OverflowException(
                $"timestamps from {min} to {max} span more than {uint.MaxValue} seconds (136 years); timestamps are Unix seconds (is this file in milliseconds?).");
        var offsets = new uint[seconds.Length];
        for (int k = 0; k < offsets.Length; k++) offsets[k] = (uint)(seconds[k] - min);
        return new TimestampColumn(min, offsets);
    }

    /// <summary>The timestamps as a new <c>long[]</c> (8 bytes each: for sorting or keeping a copy, not for reading).</summary>
    public long[] ToArray()
    {
        var result = new long[Length];
        var offsets = Offsets;
        for (int k = 0; k < result.Length; k++) result[k] = Epoch + offsets[k];
        return result;
    }

    /// <summary>The column of the ratings at <paramref name="indices"/>, with the same epoch.</summary>
    public TimestampColumn Subset(ReadOnlySpan<int> indices)
    {
        var offsets = new uint[indices.Length];
        var source = Offsets;
        for (int k = 0; k < offsets.Length; k++) offsets[k] = source[indices[k]];
        return new TimestampColumn(Epoch, offsets);
    }

    /// <summary>The earliest timestamp (0 when empty).</summary>
    public long Min() => Length == 0 ? 0 : Epoch + System.Numerics.Tensors.TensorPrimitives.Min(Offsets);

    /// <summary>The latest timestamp (0 when empty).</summary>
    public long Max() => Length == 0 ? 0 : Epoch + System.Numerics.Tensors.TensorPrimitives.Max(Offsets);

    /// <summary>The same timestamps in the same order, whatever the epochs (the same array: no comparison).</summary>
    public bool Equals(TimestampColumn other)
    {
        if (Length != other.Length) return false;
        if (Epoch == other.Epoch) return ReferenceEquals(_offsets, other._offsets) || Offsets.SequenceEqual(other.Offsets);
        for (int k = 0; k < Length; k++)
        {
            if (this[k] != other[k]) return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is TimestampColumn other && Equals(other);

    /// <summary>From the length and the first timestamp (cheap, consistent with <see cref="Equals(TimestampColumn)"/>).</summary>
    public override int GetHashCode() => HashCode.Combine(Length, Length == 0 ? 0 : this[0]);

    public static bool operator ==(TimestampColumn left, TimestampColumn right) => left.Equals(right);

    public static bool operator !=(TimestampColumn left, TimestampColumn right) => !left.Equals(right);

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<long> IEnumerable<long>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Enumerates the full timestamps without allocating.</summary>
    public struct Enumerator : IEnumerator<long>
    {
        private readonly TimestampColumn _column;
        private int _index;

        internal Enumerator(TimestampColumn column)
        {
            _column = column;
            _index = -1;
        }

        public readonly long Current => _column[_index];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < _column.Length;

        public void Reset() => _index = -1;

        public readonly void Dispose() { }
    }
}
