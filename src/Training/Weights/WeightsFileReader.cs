using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GradGuessCluster.Training.Data;

namespace GradGuessCluster.Training.Weights;

/// <summary>
/// Reads a weights file of either format <c>weights</c> writes (or PyTorch's <c>safetensors.torch.save_file</c> and
/// NumPy's <c>savez</c> write): float32 arrays by name, and the file's metadata. What the formats do not allow, or what
/// is not float32, is refused as a <see cref="DataFormatException"/> naming the file and the problem; nothing past the
/// file's end is read.
/// </summary>
public static class WeightsFileReader
{
    /// <summary>More header than any weights file of a model here needs; a larger length is a damaged file.</summary>
    private const long MaxHeaderBytes = 100 << 20;

    public sealed record Content(IReadOnlyList<NamedArray> Arrays, IReadOnlyDictionary<string, string> Metadata);

    public static Content Read(string path) => Parse(path, ReadBytes(path));

    /// <summary>The file's bytes, for a caller that also hashes them (<see cref="InitialWeights"/>): one read, so what is
    /// hashed is what is parsed.</summary>
    public static byte[] ReadBytes(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new DataFormatException(path, "cannot be read: " + e.Message, e); }
    }

    /// <param name="path">The file <paramref name="bytes"/> came from, for messages.</param>
    public static Content Parse(string path, byte[] bytes) =>
        // A zip starts "PK": NumPy's npz; anything else is read as safetensors, whose first 8 bytes are a length.
        bytes is [(byte)'P', (byte)'K', ..] ? ReadNpz(path, bytes) : ReadSafetensors(path, bytes);

    private static Content ReadSafetensors(string path, byte[] bytes)
    {
        if (bytes.Length < 8) throw Bad(path, $"it is {bytes.Length} bytes, too short for a safetensors or npz file");
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (length > MaxHeaderBytes || (long)length > bytes.Length - 8)
            throw Bad(path, $"its safetensors header would be {length} bytes, and the file holds {bytes.Length - 8} after the length: not a safetensors file, or a truncated one");
        var data = bytes.AsMemory(8 + (int)length);
        var arrays = new List<(NamedArray Array, long Begin, long End)>();
        var metadata = new Dictionary<string, string>();
        try
        {
            using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)length));
            if (header.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "its safetensors header is not a JSON object");
            foreach (var p in header.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__")
                {
                    foreach (var m in p.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString() ?? "";
                    continue;
                }
                var dtype = p.Value.GetProperty("dtype").GetString();
                if (dtype != "F32") throw Bad(path, $"tensor '{p.Name}' is {dtype}; only F32 (float32) is read");
                var shape = p.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var offsets = p.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                if (shape.Any(d => d < 0) || offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > data.Length)
                    throw Bad(path, $"tensor '{p.Name}' has shape [{string.Join(", ", shape)}] at bytes {string.Join("..", offsets)} of {data.Length}: outside the file");
                long count = shape.Aggregate(1L, (n, d) => n * d);
                if (offsets[1] - offsets[0] != count * sizeof(float))
                    throw Bad(path, $"tensor '{p.Name}' has shape [{string.Join(", ", shape)}] ({count} floats) in {offsets[1] - offsets[0]} bytes");
                var values = MemoryMarshal.Cast<byte, float>(data.Span[(int)offsets[0]..(int)offsets[1]]).ToArray();
                arrays.Add((new NamedArray(p.Name, shape, values), offsets[0], offsets[1]));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw Bad(path, "its safetensors header is not one: " + e.Message, e);
        }
        var sorted = arrays.OrderBy(a => a.Begin).ToList();
        for (int i = 1; i < sorted.Count; i++)
            if (sorted[i].Begin < sorted[i - 1].End)
                throw Bad(path, $"tensors '{sorted[i - 1].Array.Name}' and '{sorted[i].Array.Name}' overlap");
        return new Content([.. arrays.Select(a => a.Array)], metadata);
    }

    private static Content ReadNpz(string path, byte[] bytes)
    {
        var arrays = new List<NamedArray>();
        var metadata = new Dictionary<string, string>();
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                var name = entry.FullName[..^4];
                using var stream = entry.Open();
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                var (descr, shape, payload) = Npy(path, name, buffer.ToArray());
                if (name == NpzFile.MetadataName && descr.StartsWith("<U", StringComparison.Ordinal))
                {
                    var json = new UTF32Encoding(bigEndian: false, byteOrderMark: false).GetString(payload).TrimEnd('\0');
                    foreach (var (k, v) in JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []) metadata[k] = v;
                    continue;
                }
                if (descr is not ("<f4" or "|f4")) throw Bad(path, $"array '{name}' is {descr}; only float32 ('<f4') is read");
                long count = shape.Aggregate(1L, (n, d) => n * d);
                if (payload.Length != count * sizeof(float))
                    throw Bad(path, $"array '{name}' has shape [{string.Join(", ", shape)}] ({count} floats) in {payload.Length} bytes");
                arrays.Add(new NamedArray(name, shape, MemoryMarshal.Cast<byte, float>(payload).ToArray()));
            }
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException)
        {
            throw Bad(path, "it is not a readable npz (zip of .npy files): " + e.Message, e);
        }
        return new Content(arrays, metadata);
    }

    /// <summary>An .npy file's dtype, shape and data (format 1.0, 2.0 or 3.0; C order only).</summary>
    private static (string Descr, long[] Shape, byte[] Data) Npy(string path, string name, byte[] npy)
    {
        if (npy.Length < 10 || npy[0] != 0x93 || Encoding.ASCII.GetString(npy, 1, 5) != "NUMPY") throw Bad(path, $"array '{name}' is not an .npy file");
        int major = npy[6];
        int prefix = major == 1 ? 10 : 12;
        if (major is < 1 or > 3 || npy.Length < prefix) throw Bad(path, $"array '{name}' is .npy format {major}, which is not read");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(npy.AsSpan(8)) : BinaryPrimitives.ReadUInt32LittleEndian(npy.AsSpan(8));
        if (prefix + headerLength > npy.Length) throw Bad(path, $"array '{name}' has a header past its end");
        var header = Encoding.Latin1.GetString(npy, prefix, (int)headerLength);
        var m = NpyHeader.Match(header);
        if (!m.Success) throw Bad(path, $"array '{name}' has a header this reader does not take: {header.Trim()}");
        if (m.Groups["fortran"].Value == "True") throw Bad(path, $"array '{name}' is in Fortran order; save it in C order");
        var shape = m.Groups["shape"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.Parse(d, CultureInfo.InvariantCulture)).ToArray();
        return (m.Groups["descr"].Value, shape, npy[(prefix + (int)headerLength)..]);
    }

    // A plain Regex, not a generated one: the analyzer test compiles this library's sources without source generators.
    private static readonly Regex NpyHeader = new(
        @"^\{\s*'descr':\s*'(?<descr>[^']+)',\s*'fortran_order':\s*(?<fortran>True|False),\s*'shape':\s*\((?<shape>[\d,\s]*)\),?\s*\}\s*$",
        RegexOptions.CultureInvariant);

    private static DataFormatException Bad(string path, string problem, Exception? inner = null) => new(path, problem, inner);
}
