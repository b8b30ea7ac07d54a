using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace GradGuessCluster.Tests.Shared;

/// <summary>A safetensors file read back as the format's readers read it, independently of the writer: what the tests
/// compare a written file against. Throws on anything the format does not allow (a header past the file, gaps or overlaps
/// between tensors, bytes left over).</summary>
public sealed record SafetensorsContent(long HeaderLength, IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<(string Name, long[] Shape, float[] Values)> Tensors)
{
    public float[] Values(string name) => Tensors.Single(t => t.Name == name).Values;

    public static SafetensorsContent Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        long length = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (8 + length > bytes.Length) throw new InvalidDataException($"header of {length} bytes past the file's {bytes.Length}");
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)length));
        var metadata = new Dictionary<string, string>();
        var tensors = new List<(string, long[], float[], long Begin, long End)>();
        foreach (var p in header.RootElement.EnumerateObject())
        {
            if (p.Name == "__metadata__")
            {
                foreach (var m in p.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString()!;
                continue;
            }
            if (p.Value.GetProperty("dtype").GetString() != "F32") throw new InvalidDataException($"{p.Name}: not F32");
            var shape = p.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = p.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            long count = shape.Aggregate(1L, (n, d) => n * d);
            if (offsets[1] - offsets[0] != count * 4) throw new InvalidDataException($"{p.Name}: {offsets[1] - offsets[0]} bytes for {count} floats");
            var values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan((int)(8 + length + offsets[0]), (int)(count * 4))).ToArray();
            tensors.Add((p.Name, shape, values, offsets[0], offsets[1]));
        }
        long end = 0;
        foreach (var t in tensors.OrderBy(t => t.Begin))
        {
            if (t.Begin != end) throw new InvalidDataException($"{t.Item1} starts at {t.Begin}, not where the one before ends ({end})");
            end = t.End;
        }
        if (8 + length + end != bytes.Length) throw new InvalidDataException($"{bytes.Length - 8 - length - end} bytes after the last tensor");
        return new SafetensorsContent(length, metadata, [.. tensors.Select(t => (t.Item1, t.Item2, t.Item3))]);
    }
}
