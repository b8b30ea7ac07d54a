using GradGuessCluster.Training.Estimators;

namespace GradGuessCluster.Training.Tests.Estimators;

public class CounterNormalTests
{
    [Fact]
    public void Samples_HaveStandardNormalMomentsAndQuantiles()
    {
        var x = new float[1 << 20];
        new CounterNormal(12345).Fill(x);
        double mean = x.Average(v => (double)v);
        double var = x.Average(v => (v - mean) * (v - mean));
        double kurt = x.Average(v => Math.Pow(v - mean, 4)) / (var * var);
        Assert.InRange(mean, -0.005, 0.005);
        Assert.InRange(var, 0.99, 1.01);
        Assert.InRange(kurt, 2.95, 3.05);
        // Quantiles of N(0, 1): P(X < -1.96) = 0.025, P(X < 0) = 0.5, P(X < 1) = 0.8413.
        Assert.InRange(x.Count(v => v < -1.96f) / (double)x.Length, 0.0235, 0.0265);
        Assert.InRange(x.Count(v => v < 0f) / (double)x.Length, 0.497, 0.503);
        Assert.InRange(x.Count(v => v < 1f) / (double)x.Length, 0.839, 0.844);
        Assert.All(x, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Samples_AreUncorrelatedAcrossNeighbours()
    {
        var x = new float[1 << 18];
        new CounterNormal(7).Fill(x);
        foreach (int lag in new[] { 1, 2, 8, 16 })
        {
            double c = 0;
            for (int i = 0; i + lag < x.Length; i++) c += x[i] * x[i + lag];
            Assert.InRange(c / (x.Length - lag), -0.01, 0.01);
        }
    }

    [Fact]
    public void Stream_IsDeterministic_ContinuesFromItsCounter_AndDiffersByKey()
    {
        var whole = new float[64];
        new CounterNormal(99).Fill(whole);
        var parts = new float[64];
        var s = new CounterNormal(99);
        s.Fill(parts.AsSpan(0, 32));
        var resumed = new CounterNormal(99) { Counter = s.Counter };
        resumed.Fill(parts.AsSpan(32));
        Assert.Equal(whole, parts);
        var other = new float[64];
        new CounterNormal(100).Fill(other);
        Assert.NotEqual(whole, other);
    }

    [Fact]
    public void Stream_DrawsTheSameValuesAsTheVersionThatWroteEarlierCheckpoints()
    {
        // Pinned from the implementation of commit 76a4329. A checkpoint stores only (key, counter), so a change to
        // what a counter draws would make resumed runs silently diverge from their first part.
        var x = new float[37];                                                       // two whole blocks and a tail
        var s = new CounterNormal(2024) { Counter = 5 };
        s.Fill(x);
        Assert.Equal(8ul, s.Counter);
        var expected = new Dictionary<int, float>
        {
            [0] = -0.57362056f, [1] = 0.729768f, [15] = -0.47871628f, [16] = 0.88578224f,
            [31] = 0.9026288f, [32] = -0.6926457f, [36] = -0.43038887f,
        };
        foreach (var (i, v) in expected) Assert.Equal(v, x[i]);
    }

    /// <summary>Pinned from the one-block-at-a-time implementation, before commit 4dde88d computed two blocks per
    /// Vector512: whole streams, with tails of every kind, the high word's carry and the counter's wrap.</summary>
    [Theory]
    [InlineData(2024ul, (1ul << 28) - 3, 1000, 0x7570415BBB6A9743ul, (1ul << 28) + 60)]   // block c + 1 carries into the high word
    [InlineData(2024ul, ulong.MaxValue - 40, 999, 0x1938A5980FFE7B58ul, 22ul)]           // the counter wraps
    [InlineData(7ul, 0ul, 4099, 0x42D8B6E5D7EE4BF7ul, 257ul)]                          // an odd block and a tail of 3
    public void Stream_DrawsTheSameBitsAsTheOneBlockImplementation(ulong key, ulong counter, int length, ulong hash, ulong endCounter)
    {
        var s = new CounterNormal(key) { Counter = counter };
        var x = new float[length];
        s.Fill(x);
        ulong h = 14695981039346656037;                                             // FNV-1a over the values' bits
        foreach (var v in x)
        {
            h ^= (uint)BitConverter.SingleToInt32Bits(v);
            h *= 1099511628211;
        }
        Assert.Equal(hash, h);
        Assert.Equal(endCounter, s.Counter);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(48)]
    public void Fill_InPieces_ConsumesWholeBlocks_AndStartsTheNextFillOnAFreshBlock(int first)
    {
        var whole = new float[100];
        new CounterNormal(5).Fill(whole);
        var parts = new float[100];
        var s = new CounterNormal(5);
        s.Fill(parts.AsSpan(0, first));
        ulong blocks = (ulong)((first + 15) / 16);
        Assert.Equal(blocks, s.Counter);
        s.Fill(parts.AsSpan(first));
        var expected = new float[100 - first];
        new CounterNormal(5) { Counter = blocks }.Fill(expected);
        Assert.Equal(whole[..first], parts[..first]);
        Assert.Equal(expected, parts[first..]);
        if (first % 16 == 0) Assert.Equal(whole, parts);
    }
}
