using System.Security.Cryptography;
using System.Text.Json;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Checkpoints;

/// <summary>
/// The checkpoint file: magic "GGCKPT", format version, a JSON header (counters, tensor names, dtypes, shapes),
/// the raw tensor bytes, and a SHA-256 of everything before it. Written to a temp file, fsynced and renamed over
/// the old one, so a crash leaves either the old or the new checkpoint, never a torn one.
/// </summary>
public static class CheckpointFile
{
    private static readonly byte[] Magic = "GGCKPT"u8.ToArray();
    private const ushort FormatVersion = 1;
    private const int HashBytes = 32;
    private const int MaxHeaderBytes = 1 << 20;

    private sealed record TensorEntry(string Name, string Dtype, long[] Shape);
    private sealed record Header(string Fingerprint, int Epoch, long Step, long OptimizerSteps, int[] Diverged, TensorEntry[] Tensors,
        string? Configuration = null, string? DataDigest = null);

    public static void Write(string path, CheckpointState state)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var entries = state.Tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        var header = new Header(state.Fingerprint, state.Epoch, state.Step, state.OptimizerSteps, state.Diverged,
            entries.Select(kv => new TensorEntry(kv.Key, DtypeName(kv.Value.dtype), kv.Value.shape)).ToArray(), state.Configuration, state.DataDigest);
        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(header);

        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                void Put(ReadOnlySpan<byte> bytes) { file.Write(bytes); hash.AppendData(bytes); }
                Put(Magic);
                Span<byte> small = stackalloc byte[4];
                BitConverter.TryWriteBytes(small, FormatVersion);
                Put(small[..2]);
                BitConverter.TryWriteBytes(small, headerBytes.Length);
                Put(small);
                Put(headerBytes);
                foreach (var (_, t) in entries)
                {
                    using var scope = NewDisposeScope();
                    Put(t.detach().cpu().contiguous().bytes);
                }
                file.Write(hash.GetHashAndReset());
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Reads and verifies a checkpoint; tensors are created on the CPU. Throws
    /// <see cref="CheckpointCorruptException"/> for anything that does not check out.</summary>
    public static CheckpointState Read(string path)
    {
        byte[] data;
        try { data = File.ReadAllBytes(path); }
        catch (IOException e) { throw new CheckpointCorruptException(path, "cannot be read: " + e.Message, e); }

        int fixedBytes = Magic.Length + 2 + 4;
        if (data.Length < fixedBytes + HashBytes) throw new CheckpointCorruptException(path, $"truncated ({data.Length} bytes)");
        if (!data.AsSpan(0, Magic.Length).SequenceEqual(Magic)) throw new CheckpointCorruptException(path, "not a GradGuessCluster checkpoint (bad magic)");
        ushort version = BitConverter.ToUInt16(data, Magic.Length);
        if (version != FormatVersion) throw new CheckpointCorruptException(path, $"format version {version}, this build reads {FormatVersion}");
        var body = data.AsSpan(0, data.Length - HashBytes);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(data.AsSpan(data.Length - HashBytes)))
            throw new CheckpointCorruptException(path, "checksum mismatch (the file is corrupt or was cut short)");
        int headerLength = BitConverter.ToInt32(data, Magic.Length + 2);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || fixedBytes + headerLength > body.Length)
            throw new CheckpointCorruptException(path, $"bad header length {headerLength}");

        Header header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(data.AsSpan(fixedBytes, headerLength))
                     ?? throw new JsonException("empty header");
        }
        catch (JsonException e) { throw new CheckpointCorruptException(path, "unreadable header: " + e.Message, e); }
        // The checksum catches damage; these catch a header that was written wrong (another build, a hand-made file).
        if (header.Fingerprint is null) throw new CheckpointCorruptException(path, "the header has no fingerprint");
        if (header.Epoch < 0 || header.Step < 0 || header.OptimizerSteps < 0)
            throw new CheckpointCorruptException(path, $"negative counters in the header (epoch {header.Epoch}, step {header.Step}, optimizer steps {header.OptimizerSteps})");

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            ReadTensors(path, header.Tensors ?? [], data, fixedBytes + headerLength, body.Length, tensors);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return new CheckpointState(header.Fingerprint, header.Epoch, header.Step, header.OptimizerSteps, header.Diverged ?? [], tensors,
            header.Configuration, header.DataDigest);
    }

    /// <summary>Reads each header entry's bytes from <paramref name="offset"/> on; they must end exactly at the body's end.</summary>
    private static void ReadTensors(string path, TensorEntry[] entries, byte[] data, long offset, long bodyLength, Dictionary<string, Tensor> into)
    {
        foreach (var entry in entries)
        {
            if (entry?.Name is null) throw new CheckpointCorruptException(path, "a tensor of the header has no name");
            if (into.ContainsKey(entry.Name)) throw new CheckpointCorruptException(path, $"tensor '{entry.Name}' is listed twice");
            var dtype = ParseDtype(path, entry.Dtype);
            if (entry.Shape is null || entry.Shape.Any(d => d < 0)) throw new CheckpointCorruptException(path, $"tensor '{entry.Name}' has a bad shape");
            long bytes;
            try { bytes = entry.Shape.Aggregate(ElementSize(dtype), (a, d) => checked(a * d)); }
            catch (OverflowException) { bytes = long.MaxValue; }                   // past any file's end
            if (bytes > bodyLength - offset) throw new CheckpointCorruptException(path, $"tensor '{entry.Name}' runs past the end of the file");
            var t = empty(entry.Shape, dtype);
            into[entry.Name] = t;
            data.AsSpan((int)offset, (int)bytes).CopyTo(t.bytes);
            offset += bytes;
        }
        if (offset != bodyLength) throw new CheckpointCorruptException(path, $"{bodyLength - offset} unexpected bytes after the tensors");
    }

    private static string DtypeName(ScalarType t) => t switch
    {
        ScalarType.Float32 => "f32",
        ScalarType.Float64 => "f64",
        ScalarType.Int64 => "i64",
        ScalarType.Byte => "u8",
        _ => throw new NotSupportedException($"checkpoint dtype {t}"),
    };

    private static ScalarType ParseDtype(string path, string? name) => name switch
    {
        "f32" => ScalarType.Float32,
        "f64" => ScalarType.Float64,
        "i64" => ScalarType.Int64,
        "u8" => ScalarType.Byte,
        _ => throw new CheckpointCorruptException(path, $"unknown tensor dtype '{name}'"),
    };

    private static long ElementSize(ScalarType t) => t switch
    {
        ScalarType.Float32 => 4,
        ScalarType.Float64 => 8,
        ScalarType.Int64 => 8,
        _ => 1,
    };
}
