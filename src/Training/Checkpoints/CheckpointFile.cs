using System.Security.Cryptography;
using System.Text.Json;
using GradGuessCluster.Training.IO;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Checkpoints;

/// <summary>
/// The checkpoint file: magic "GGCKPT", format version, a JSON header (counters, tensor names, dtypes, shapes),
/// the raw tensor bytes, and a SHA-256 of everything before it. Written through <see cref="AtomicFile"/> (a temp file,
/// fsynced and renamed over the old one), so a crash leaves either the old or the new checkpoint, never a torn one.
/// </summary>
public static class CheckpointFile
{
    private static readonly byte[] Magic = "GGCKPT"u8.ToArray();
    private const ushort FormatVersion = 1;
    private const int HashBytes = 32;
    // The header keeps each cell's configuration (some 320 bytes a cell, JSON in a JSON string) and divergence: a pack of
    // the 10,000 cells a sweep may hold writes about 3.3 MB. Read only after the checksum, so no damaged length gets here.
    private const int MaxHeaderBytes = 1 << 26;

    private sealed record TensorEntry(string Name, string Dtype, long[] Shape);
    private sealed record Header(string Fingerprint, int Epoch, long Step, long OptimizerSteps, int[] Diverged, TensorEntry[] Tensors,
        string? Configuration = null, string? DataDigest = null, string? Numerics = null);

    public static void Write(string path, CheckpointState state)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var entries = state.Tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        var header = new Header(state.Fingerprint, state.Epoch, state.Step, state.OptimizerSteps, state.Diverged,
            entries.Select(kv => new TensorEntry(kv.Key, DtypeName(kv.Value.dtype), kv.Value.shape)).ToArray(), state.Configuration, state.DataDigest,
            state.Numerics);
        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(header);
        if (headerBytes.Length > MaxHeaderBytes)   // never written unreadable
            throw new InvalidOperationException($"checkpoint {path}: its header would take {headerBytes.Length} bytes, more than the {MaxHeaderBytes} a checkpoint may hold");

        // AtomicFile's temporary name fits beside any legal name, and its errors name the checkpoint, not the temporary file.
        AtomicFile.Write(path, file =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
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
                HostChunks.ForEach([t.detach().cpu().contiguous().view(-1)], k => Put(k[0].bytes));
            }
            file.Write(hash.GetHashAndReset());
        });
    }

    /// <summary>Reads and verifies a checkpoint; tensors are created on the CPU. Throws
    /// <see cref="CheckpointCorruptException"/> for anything that does not check out, and
    /// <see cref="CheckpointUnreadableException"/> where reading itself failed. Streamed, not read whole: a
    /// pack's checkpoint may pass the 2 GiB one array holds (a wide model, AdamW's two moments beside the weights).</summary>
    /// <param name="into">Called once the file's checksum and header check out, before any tensor is read, with the
    /// header's state (no tensors): it may refuse the checkpoint by throwing, and gives by name a contiguous CPU tensor to
    /// read that tensor straight into (null, or one of another shape or type: a new tensor), so that a resumed pack holds
    /// no second copy of its weights. Such a tensor is returned as a view of it; a read that fails after this may leave
    /// them part-written.</param>
    public static CheckpointState Read(string path, Func<CheckpointState, Func<string, Tensor?>>? into = null)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            return Read(path, file, into);
        }
        catch (EndOfStreamException e)   // shorter than its own lengths say
        {
            throw new CheckpointCorruptException(path, "cut short: " + e.Message, e);
        }
        catch (Exception e) when (e is IOException and not CheckpointUnreadableException or UnauthorizedAccessException)
        {
            throw new CheckpointUnreadableException(path, e);
        }
    }

    private static CheckpointState Read(string path, FileStream file, Func<CheckpointState, Func<string, Tensor?>>? into)
    {
        long length = file.Length;
        int fixedBytes = Magic.Length + 2 + 4;
        if (length < fixedBytes + HashBytes) throw new CheckpointCorruptException(path, $"truncated ({length} bytes)");
        var prefix = new byte[fixedBytes];
        file.ReadExactly(prefix);
        if (!prefix.AsSpan(0, Magic.Length).SequenceEqual(Magic)) throw new CheckpointCorruptException(path, "not a GradGuessCluster checkpoint (bad magic)");
        ushort version = BitConverter.ToUInt16(prefix, Magic.Length);
        if (version != FormatVersion) throw new CheckpointCorruptException(path, $"format version {version}, this build reads {FormatVersion}");
        long bodyLength = length - HashBytes;
        if (!ChecksumMatches(file, bodyLength))
            throw new CheckpointCorruptException(path, "checksum mismatch (the file is corrupt or was cut short)");
        int headerLength = BitConverter.ToInt32(prefix, Magic.Length + 2);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || fixedBytes + headerLength > bodyLength)
            throw new CheckpointCorruptException(path, $"bad header length {headerLength}");

        var headerBytes = new byte[headerLength];
        file.Position = fixedBytes;
        file.ReadExactly(headerBytes);
        Header header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(headerBytes) ?? throw new JsonException("empty header");
        }
        catch (JsonException e) { throw new CheckpointCorruptException(path, "unreadable header: " + e.Message, e); }
        // The checksum catches damage; these catch a header that was written wrong (another build, a hand-made file).
        if (header.Fingerprint is null) throw new CheckpointCorruptException(path, "the header has no fingerprint");
        if (header.Epoch < 0 || header.Step < 0 || header.OptimizerSteps < 0)
            throw new CheckpointCorruptException(path, $"negative counters in the header (epoch {header.Epoch}, step {header.Step}, optimizer steps {header.OptimizerSteps})");

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var state = new CheckpointState(header.Fingerprint, header.Epoch, header.Step, header.OptimizerSteps, header.Diverged ?? [], tensors,
            header.Configuration, header.DataDigest, header.Numerics);
        var targets = into?.Invoke(state);
        try
        {
            ReadTensors(path, header.Tensors ?? [], file, bodyLength, tensors, targets);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return state;
    }

    /// <summary>Whether the SHA-256 at the end matches everything before it (read in chunks, from the start).</summary>
    private static bool ChecksumMatches(FileStream file, long bodyLength)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[1 << 20];
        file.Position = 0;
        for (long left = bodyLength; left > 0;)
        {
            int read = file.Read(chunk, 0, (int)Math.Min(chunk.Length, left));
            if (read == 0) throw new EndOfStreamException($"the file ended {left} bytes early");
            hash.AppendData(chunk, 0, read);
            left -= read;
        }
        var stored = new byte[HashBytes];
        file.ReadExactly(stored);
        return hash.GetHashAndReset().AsSpan().SequenceEqual(stored);
    }

    /// <summary>Reads each header entry's bytes from the stream's position on; they must end exactly at the body's end.</summary>
    private static void ReadTensors(string path, TensorEntry[] entries, FileStream file, long bodyLength, Dictionary<string, Tensor> into,
        Func<string, Tensor?>? targets)
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
            if (bytes > bodyLength - file.Position) throw new CheckpointCorruptException(path, $"tensor '{entry.Name}' runs past the end of the file");
            var t = targets?.Invoke(entry.Name) is { } live && live.device_type == TorchSharp.DeviceType.CPU && live.dtype == dtype
                    && live.shape.SequenceEqual(entry.Shape) && live.is_contiguous()
                ? live.detach()
                : empty(entry.Shape, dtype);
            into[entry.Name] = t;
            using var flat = t.view(-1);
            HostChunks.ForEach([flat], k => file.ReadExactly(k[0].bytes));
        }
        if (file.Position != bodyLength) throw new CheckpointCorruptException(path, $"{bodyLength - file.Position} unexpected bytes after the tensors");
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
