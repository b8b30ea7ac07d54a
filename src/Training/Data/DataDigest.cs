using System.Security.Cryptography;
using System.Text;

namespace GradGuessCluster.Training.Data;

/// <summary>
/// What a data set's content hashes to: SHA-256 over its name and each split's examples as decoded (IDX and CIFAR-10
/// pixels and labels before normalisation), cut to 32 hex digits; a synthetic set hashes its definition instead
/// (<see cref="SyntheticDataset.Digest"/>). The same files gzipped or raw, or in another directory, give one digest; any
/// changed example gives another. Checkpoints and sweeps keep it, so a pack never continues, and a sweep never mixes,
/// training on other data than it started on.
/// </summary>
public sealed class DataDigest : IDisposable
{
    public const int Length = 32;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public DataDigest(string set) => AddLabel(set);

    /// <summary>Adds one named part: its row count, byte length and bytes (so parts cannot run into each other).</summary>
    public DataDigest Add(string part, long rows, ReadOnlySpan<byte> bytes)
    {
        AddLabel(part);
        Span<byte> counts = stackalloc byte[16];
        BitConverter.TryWriteBytes(counts[..8], rows);
        BitConverter.TryWriteBytes(counts[8..], (long)bytes.Length);
        _hash.AppendData(counts);
        _hash.AppendData(bytes);
        return this;
    }

    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset())[..Length];

    public void Dispose() => _hash.Dispose();

    private void AddLabel(string text)
    {
        _hash.AppendData(Encoding.UTF8.GetBytes(text));
        _hash.AppendData([0]);
    }
}
