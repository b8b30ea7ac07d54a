namespace GradGuessCluster.Training.Runtime;

/// <summary>Derives independent generator seeds from a cell seed and a stream name (SplitMix64), so that weight
/// init, guesses and data order never share a random stream.</summary>
public static class SeedMix
{
    public const ulong InitStream = 0x1A17;
    public const ulong GuessStream = 0x6E55;
    public const ulong OrderStream = 0x0D3E;

    public static ulong Derive(long seed, ulong stream, long index = 0)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ stream * 0xBF58476D1CE4E5B9UL ^ (ulong)index * 0x94D049BB133111EBUL);
        z = unchecked(z + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        // libtorch's CPU generator takes any 64-bit seed; keep it positive for readability in logs.
        return z & 0x7FFF_FFFF_FFFF_FFFFUL;
    }
}
