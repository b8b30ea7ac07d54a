using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GradGuessCluster.Training.Estimators;

/// <summary>
/// A counter-based N(0, 1) stream for CPU guesses: uniform bits from a keyed integer hash of a 64-bit counter,
/// turned into normals by a vectorised Box–Muller transform with polynomial log and sine/cosine. About 5× faster
/// than libtorch's CPU randn (a scalar Mersenne twister), which dominated the guessing methods' non-matmul time.
/// The whole state is (key, counter), so a stream is checkpointed as two numbers and resumes exactly.
/// </summary>
public sealed class CounterNormal(ulong key)
{
    private const int Lanes = 8;                        // Vector256<float>
    private readonly uint _k1 = (uint)key, _k2 = (uint)(key >> 32) ^ 0x9E3779B9u;

    public ulong Key { get; } = key;

    /// <summary>Blocks of 16 normals drawn so far.</summary>
    public ulong Counter { get; set; }

    /// <summary>Fills <paramref name="output"/> with N(0, 1) samples; consumes ⌈n/16⌉ blocks.</summary>
    public void Fill(Span<float> output)
    {
        // Whole blocks are stored straight from registers: slicing a span per block and copying from it cost a third
        // of the time.
        ref float o = ref MemoryMarshal.GetReference(output);
        int i = 0;
        for (; i + 2 * Lanes <= output.Length; i += 2 * Lanes)
        {
            var (first, second) = Block(Counter++);
            first.StoreUnsafe(ref o, (nuint)i);
            second.StoreUnsafe(ref o, (nuint)(i + Lanes));
        }
        if (i < output.Length)
        {
            Span<float> tail = stackalloc float[2 * Lanes];
            var (first, second) = Block(Counter++);
            first.CopyTo(tail);
            second.CopyTo(tail[Lanes..]);
            tail[..(output.Length - i)].CopyTo(output[i..]);
        }
    }

    /// <summary>The 16 normals of block <paramref name="c"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (Vector256<float> First, Vector256<float> Second) Block(ulong c)
    {
        var lane = Vector256.Create(0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u);
        var lo = Vector256.Create((uint)c << 4) + lane * 2u;             // two hashes per lane per block
        var hi = Vector256.Create((uint)(c >> 28) ^ _k2);
        var h1 = Mix(Mix(lo ^ Vector256.Create(_k1)) ^ hi);
        var h2 = Mix(Mix((lo + Vector256<uint>.One) ^ Vector256.Create(_k1)) ^ hi);

        // u1 in (0, 1] from the top 24 bits; x uniform in [0, π/2) from h2's top 24 bits.
        var u1 = Vector256.ConvertToSingle((h1 >> 8).AsInt32() + Vector256<int>.One) * (1f / 16777216f);
        var x = Vector256.ConvertToSingle((h2 >> 8).AsInt32()) * (MathF.PI / 2f / 16777216f);
        var r = Vector256.Sqrt(Vector256.Create(-2f) * Log(u1));
        var (s, co) = SinCosQuarter(x);
        // Random signs reflect the first-quadrant angle onto the whole circle, uniformly.
        var sign1 = (h1 << 31).AsSingle();
        var sign2 = ((h1 << 30) & Vector256.Create(0x8000_0000u)).AsSingle();
        return (Vector256.Xor(r * co, sign1), Vector256.Xor(r * s, sign2));
    }

    /// <summary>lowbias32 (Chris Wellons' integer hash search): a fast, well-mixing 32-bit permutation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Mix(Vector256<uint> x)
    {
        x ^= x >> 16;
        x *= 0x7feb352du;
        x ^= x >> 15;
        x *= 0x846ca68bu;
        x ^= x >> 16;
        return x;
    }

    /// <summary>ln u for u in (0, 1]: exponent plus 2·atanh((m−1)/(m+1)) with m in [√½, √2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Log(Vector256<float> u)
    {
        var bits = u.AsInt32();
        var e = (bits >> 23) - Vector256.Create(127);
        var m = ((bits & Vector256.Create(0x007F_FFFF)) | Vector256.Create(0x3F80_0000)).AsSingle();   // [1, 2)
        var big = Vector256.GreaterThan(m, Vector256.Create(1.41421356f));
        m = Vector256.ConditionalSelect(big, m * 0.5f, m);
        e += Vector256.ConditionalSelect(big.AsInt32(), Vector256<int>.One, Vector256<int>.Zero);
        var t = (m - Vector256<float>.One) / (m + Vector256<float>.One);
        var t2 = t * t;
        var series = Vector256.Create(1f / 9f);
        series = series * t2 + Vector256.Create(1f / 7f);
        series = series * t2 + Vector256.Create(1f / 5f);
        series = series * t2 + Vector256.Create(1f / 3f);
        series = series * t2 + Vector256<float>.One;
        return Vector256.ConvertToSingle(e) * 0.69314718f + 2f * t * series;
    }

    /// <summary>sin and cos of x in [0, π/2) by Taylor polynomials (error below float resolution there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Sin, Vector256<float> Cos) SinCosQuarter(Vector256<float> x)
    {
        var x2 = x * x;
        var s = Vector256.Create(-1f / 39916800f);
        s = s * x2 + Vector256.Create(1f / 362880f);
        s = s * x2 + Vector256.Create(-1f / 5040f);
        s = s * x2 + Vector256.Create(1f / 120f);
        s = s * x2 + Vector256.Create(-1f / 6f);
        s = (s * x2 + Vector256<float>.One) * x;
        var c = Vector256.Create(1f / 479001600f);
        c = c * x2 + Vector256.Create(-1f / 3628800f);
        c = c * x2 + Vector256.Create(1f / 40320f);
        c = c * x2 + Vector256.Create(-1f / 720f);
        c = c * x2 + Vector256.Create(1f / 24f);
        c = c * x2 + Vector256.Create(-0.5f);
        c = c * x2 + Vector256<float>.One;
        return (s, c);
    }
}
