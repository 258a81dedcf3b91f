using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MovieRec.Core.Algorithms.MatrixFactorization;

/// <summary>
/// The subtractive generator (Knuth, TAOCP vol. 2, 3.6) that <c>new Random(seed)</c> runs: the same
/// <see cref="NextDouble"/> sequence as <c>new Random(seed).NextDouble()</c>, without its virtual calls, for filling
/// millions of initial factors.
/// </summary>
internal sealed class SubtractiveRandom
{
    private const int Seed0 = 161803398;
    private const int Lag = 55;
    private const int ShortLag = 34;
    private const int ShortLagOffset = 21;
    private int[] _history = [];
    private readonly int[] _state = new int[56];
    private int _next;
    private int _nextP = 21;

    public SubtractiveRandom(int seed)
    {
        int subtraction = seed == int.MinValue ? int.MaxValue : Math.Abs(seed);
        int mj = Seed0 - subtraction;
        _state[55] = mj;
        int mk = 1, ii = 0;
        for (int i = 1; i < 55; i++)
        {
            if ((ii += 21) >= 55) ii -= 55;
            _state[ii] = mk;
            mk = mj - mk;
            if (mk < 0) mk += int.MaxValue;
            mj = _state[ii];
        }
        for (int k = 1; k < 5; k++)
        {
            for (int i = 1; i < 56; i++)
            {
                int n = i + 30;
                if (n >= 55) n -= 55;
                _state[i] -= _state[1 + n];
                if (_state[i] < 0) _state[i] += int.MaxValue;
            }
        }
    }

    public double NextDouble() => Sample() * (1.0 / int.MaxValue);

    /// <summary>Draws a[k] = 1 − u, b[k] = u' for each k (two draws per pair, in that order).</summary>
    public void NextPairs(Span<double> a, Span<double> b)
    {
        b = b[..a.Length];
        int count = 2 * a.Length;
        // The draws as a sequence: x_n = x_{n−55} − x_{n−34} (mod int.MaxValue, with .NET's fix-ups); the lags are
        // at least 8, so eight draws at a time are independent. h holds x_{n−55} .. onwards.
        if (_history.Length < Lag + count) _history = new int[Lag + count];
        var h = _history;
        int at = _next == 0 ? Lag : _next;
        for (int m = 0; m < Lag; m++) h[m] = _state[(at + m) % Lag + 1];
        int n = Lag;
        if (Vector256.IsHardwareAccelerated)
        {
            var max = Vector256.Create(int.MaxValue);
            for (; n <= Lag + count - 8; n += 8)
            {
                var v = Vector256.Create(h.AsSpan(n - Lag, 8)) - Vector256.Create(h.AsSpan(n - ShortLag, 8));
                v += Vector256.Equals(v, max);
                v += Vector256.LessThan(v, Vector256<int>.Zero) & max;
                v.CopyTo(h.AsSpan(n, 8));
            }
        }
        for (; n < Lag + count; n++)
        {
            int v = h[n - Lag] - h[n - ShortLag];
            if (v == int.MaxValue) v--;
            if (v < 0) v += int.MaxValue;
            h[n] = v;
        }
        for (int k = 0; k < a.Length; k++)
        {
            a[k] = 1.0 - h[Lag + 2 * k] * (1.0 / int.MaxValue);
            b[k] = h[Lag + 2 * k + 1] * (1.0 / int.MaxValue);
        }
        // Back into the circular state: the last 55 draws, and the indices advanced by count.
        at = (at - 1 + count) % Lag + 1;
        for (int m = 0; m < Lag; m++) _state[(at + m) % Lag + 1] = h[count + m];
        _next = at;
        _nextP = (at + ShortLagOffset - 1) % Lag + 1;
    }

    /// <summary>Advances past <paramref name="count"/> draws.</summary>
    public void Skip(long count)
    {
        // Whole blocks of pairs the vectorised way, then single draws.
        const int Pairs = 1024;
        Span<double> a = stackalloc double[Pairs];
        Span<double> b = stackalloc double[Pairs];
        for (; count >= 2 * Pairs; count -= 2 * Pairs) NextPairs(a, b);
        var state = _state;
        int next = _next, nextP = _nextP;
        for (long k = 0; k < count; k++) Draw(state, ref next, ref nextP);
        _next = next;
        _nextP = nextP;
    }

    /// <summary>A generator at the same point of the same sequence.</summary>
    public SubtractiveRandom Clone()
    {
        var copy = new SubtractiveRandom(0);
        _state.CopyTo(copy._state, 0);
        copy._next = _next;
        copy._nextP = _nextP;
        return copy;
    }

    private int Sample()
    {
        int next = _next, nextP = _nextP;
        int value = Draw(_state, ref next, ref nextP);
        _next = next;
        _nextP = nextP;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Draw(int[] state, ref int next, ref int nextP)
    {
        if (++next >= 56) next = 1;
        if (++nextP >= 56) nextP = 1;
        int value = state[next] - state[nextP];
        if (value == int.MaxValue) value--;
        if (value < 0) value += int.MaxValue;
        state[next] = value;
        return value;
    }
}
