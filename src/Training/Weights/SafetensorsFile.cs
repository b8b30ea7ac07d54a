using System.Buffers.Binary;
using System.Text.Json;

namespace GradGuessCluster.Training.Weights;

/// <summary>
/// Writes the safetensors format (huggingface/safetensors), which <c>safetensors.torch.load_file</c> and
/// <c>safetensors.numpy.load_file</c> read: an unsigned 64-bit little-endian header length, a UTF-8 JSON header (each
/// tensor's dtype, shape and byte range in the data that follows, plus a string-to-string <c>__metadata__</c>), padded
/// with spaces to a multiple of 8 bytes, then the tensors' little-endian bytes back to back with no gap, as the format's
/// readers require.
/// </summary>
public static class SafetensorsFile
{
    public const string Extension = ".safetensors";

    public static void Write(Stream stream, IReadOnlyList<NamedArray> arrays, IReadOnlyDictionary<string, string> metadata)
    {
        NamedArray.ValidateAll(arrays);
        var header = Header(arrays, metadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var a in arrays) a.WriteValues(stream);
    }

    /// <summary>The header, padded: the data then starts 8-byte aligned, so a reader may map the file and view it in place.</summary>
    private static byte[] Header(IReadOnlyList<NamedArray> arrays, IReadOnlyDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata.Count > 0)
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var a in arrays)
            {
                json.WriteStartObject(a.Name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (var d in a.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset += a.Values.LongLength * sizeof(float));
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        int padded = (int)((buffer.Length + 7) / 8 * 8);
        var bytes = new byte[padded];
        buffer.ToArray().CopyTo(bytes, 0);
        bytes.AsSpan((int)buffer.Length).Fill((byte)' ');
        return bytes;
    }

}
