using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GradGuessCluster.Training.Estimators;

/// <summary>
/// A counter-based N(0, 1) stream for CPU guesses: uniform bits from a keyed integer hash of a 64-bit counter,
/// turned into normals by a vectorised Box–Muller transform with polynomial log and sine/cosine. About 5× faster
/// than libtorch's CPU randn (a scalar Mersenne twister), which dominated the guessing methods' non-matmul time.
/// A block is 16 normals from 8 lanes; two blocks are computed side by side in one Vector512 (block c in the lower
/// 256 bits). On AVX-512 that is one register; without it .NET runs a Vector512 as two Vector256 halves, and the two
/// independent chains still beat one block at a time (2.5–3.1 → 2.0–2.1 ns a normal, measured with AVX-512 switched off).
/// Every width computes the same lane operations in the same order (no fused multiply-adds), so the stream's values
/// do not depend on the machine.
/// The whole state is (key, counter), so a stream is checkpointed as two numbers and resumes exactly.
/// </summary>
public sealed class CounterNormal(ulong key)
{
    private const int Lanes = 8;                        // of one block
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
        for (; i + 4 * Lanes <= output.Length; i += 4 * Lanes)
        {
            var (first, second) = Blocks(Counter);
            Counter += 2;
            first.GetLower().StoreUnsafe(ref o, (nuint)i);
            second.GetLower().StoreUnsafe(ref o, (nuint)(i + Lanes));
            first.GetUpper().StoreUnsafe(ref o, (nuint)(i + 2 * Lanes));
            second.GetUpper().StoreUnsafe(ref o, (nuint)(i + 3 * Lanes));
        }
        if (i == output.Length) return;
        // One or two blocks are left; a second is computed (and dropped) only when one is left.
        var (a, b) = Blocks(Counter);
        Span<float> rest = stackalloc float[4 * Lanes];
        a.GetLower().CopyTo(rest);
        b.GetLower().CopyTo(rest[Lanes..]);
        a.GetUpper().CopyTo(rest[(2 * Lanes)..]);
        b.GetUpper().CopyTo(rest[(3 * Lanes)..]);
        int left = output.Length - i;
        Counter += (ulong)((left + 2 * Lanes - 1) / (2 * Lanes));
        rest[..left].CopyTo(output[i..]);
    }

    /// <summary>The 16 normals of blocks c and c + 1: (first halves, second halves), block c in the lower 256 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (Vector512<float> First, Vector512<float> Second) Blocks(ulong c)
    {
        var lane = Vector512.Create(0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u);
        var lo = Vector512.Create(Vector256.Create((uint)c << 4), Vector256.Create((uint)(c + 1) << 4)) + lane * 2u;   // two hashes per lane per block
        var hi = Vector512.Create(Vector256.Create((uint)(c >> 28) ^ _k2), Vector256.Create((uint)((c + 1) >> 28) ^ _k2));
        var h1 = Mix(Mix(lo ^ Vector512.Create(_k1)) ^ hi);
        var h2 = Mix(Mix((lo + Vector512<uint>.One) ^ Vector512.Create(_k1)) ^ hi);

        // u1 in (0, 1] from the top 24 bits; x uniform in [0, π/2) from h2's top 24 bits.
        var u1 = Vector512.ConvertToSingle((h1 >> 8).AsInt32() + Vector512<int>.One) * (1f / 16777216f);
        var x = Vector512.ConvertToSingle((h2 >> 8).AsInt32()) * (MathF.PI / 2f / 16777216f);
        var r = Vector512.Sqrt(Vector512.Create(-2f) * Log(u1));
        var (s, co) = SinCosQuarter(x);
        // Random signs reflect the first-quadrant angle onto the whole circle, uniformly.
        var sign1 = (h1 << 31).AsSingle();
        var sign2 = ((h1 << 30) & Vector512.Create(0x8000_0000u)).AsSingle();
        return (Vector512.Xor(r * co, sign1), Vector512.Xor(r * s, sign2));
    }

    /// <summary>lowbias32 (Chris Wellons' integer hash search): a fast, well-mixing 32-bit permutation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Mix(Vector512<uint> x)
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
    private static Vector512<float> Log(Vector512<float> u)
    {
        var bits = u.AsInt32();
        var e = (bits >> 23) - Vector512.Create(127);
        var m = ((bits & Vector512.Create(0x007F_FFFF)) | Vector512.Create(0x3F80_0000)).AsSingle();   // [1, 2)
        var big = Vector512.GreaterThan(m, Vector512.Create(1.41421356f));
        m = Vector512.ConditionalSelect(big, m * 0.5f, m);
        e += Vector512.ConditionalSelect(big.AsInt32(), Vector512<int>.One, Vector512<int>.Zero);
        var t = (m - Vector512<float>.One) / (m + Vector512<float>.One);
        var t2 = t * t;
        var series = Vector512.Create(1f / 9f);
        series = series * t2 + Vector512.Create(1f / 7f);
        series = series * t2 + Vector512.Create(1f / 5f);
        series = series * t2 + Vector512.Create(1f / 3f);
        series = series * t2 + Vector512<float>.One;
        return Vector512.ConvertToSingle(e) * 0.69314718f + 2f * t * series;
    }

    /// <summary>sin and cos of x in [0, π/2) by Taylor polynomials (error below float resolution there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float> Sin, Vector512<float> Cos) SinCosQuarter(Vector512<float> x)
    {
        var x2 = x * x;
        var s = Vector512.Create(-1f / 39916800f);
        s = s * x2 + Vector512.Create(1f / 362880f);
        s = s * x2 + Vector512.Create(-1f / 5040f);
        s = s * x2 + Vector512.Create(1f / 120f);
        s = s * x2 + Vector512.Create(-1f / 6f);
        s = (s * x2 + Vector512<float>.One) * x;
        var c = Vector512.Create(1f / 479001600f);
        c = c * x2 + Vector512.Create(-1f / 3628800f);
        c = c * x2 + Vector512.Create(1f / 40320f);
        c = c * x2 + Vector512.Create(-1f / 720f);
        c = c * x2 + Vector512.Create(1f / 24f);
        c = c * x2 + Vector512.Create(-0.5f);
        c = c * x2 + Vector512<float>.One;
        return (s, c);
    }
}
