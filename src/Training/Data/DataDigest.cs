using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Data;

/// <summary>
/// What a data set's content hashes to: SHA-256 over its name and each split's examples as decoded (IDX and CIFAR-10
/// pixels and labels before normalisation; a synthetic set's generated tensors), cut to 32 hex digits. The same files
/// gzipped or raw, or in another directory, give one digest; any changed example gives another. Checkpoints and sweeps
/// keep it, so a pack never continues, and a sweep never mixes, training on other data than it started on.
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

    /// <summary>Adds a CPU tensor's elements (float32 or int64), row count first.</summary>
    public DataDigest Add(string part, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var cpu = tensor.cpu().contiguous();
        var bytes = cpu.dtype switch
        {
            ScalarType.Float32 => MemoryMarshal.AsBytes<float>(cpu.data<float>().ToArray()),
            ScalarType.Int64 => MemoryMarshal.AsBytes<long>(cpu.data<long>().ToArray()),
            var other => throw new ArgumentException($"cannot digest a {other} tensor", nameof(tensor)),
        };
        return Add(part, cpu.shape.Length == 0 ? 1 : cpu.shape[0], bytes);
    }

    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset())[..Length];

    public void Dispose() => _hash.Dispose();

    private void AddLabel(string text)
    {
        _hash.AppendData(Encoding.UTF8.GetBytes(text));
        _hash.AppendData([0]);
    }
}
