using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace GradGuessCluster.Training.Weights;

/// <summary>
/// Writes NumPy's <c>.npz</c> (what <c>numpy.savez</c> writes and <c>numpy.load</c> reads, without pickles): a zip archive
/// of one <c>NAME.npy</c> per array, each a format-1.0 .npy file (magic, a Python-literal header padded to 64 bytes, then
/// the little-endian values). The metadata is one more array, <c>metadata</c>: a 0-d unicode string holding a JSON object,
/// read back with <c>json.loads(str(npz["metadata"]))</c>.
/// </summary>
public static class NpzFile
{
    public const string Extension = ".npz";
    public const string MetadataName = "metadata";

    public static void Write(Stream stream, IReadOnlyList<NamedArray> arrays, IReadOnlyDictionary<string, string> metadata)
    {
        NamedArray.ValidateAll(arrays);
        if (arrays.Any(a => a.Name == MetadataName)) throw new ArgumentException($"array name '{MetadataName}' is the metadata's");
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var a in arrays)
        {
            using var entry = zip.CreateEntry(a.Name + ".npy", CompressionLevel.NoCompression).Open();
            entry.Write(NpyHeader("<f4", a.Shape));
            a.WriteValues(entry);
        }
        var json = System.Text.Json.JsonSerializer.Serialize(metadata);
        using var meta = zip.CreateEntry(MetadataName + ".npy", CompressionLevel.NoCompression).Open();
        // NumPy's unicode dtype: UTF-32 code points, so a length in code points, not UTF-16 units.
        var utf32 = new UTF32Encoding(bigEndian: false, byteOrderMark: false).GetBytes(json);
        meta.Write(NpyHeader($"<U{utf32.Length / 4}", []));
        meta.Write(utf32);
    }

    /// <summary>Magic, version 1.0, the header's length, and the header, padded with spaces and ended by a newline so the
    /// data starts at a multiple of 64 bytes (as NumPy itself pads).</summary>
    private static byte[] NpyHeader(string descr, long[] shape)
    {
        var dims = shape.Length switch
        {
            0 => "()",
            1 => $"({shape[0].ToString(CultureInfo.InvariantCulture)},)",
            _ => "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")",
        };
        var text = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {dims}, }}";
        const int prefix = 10;   // magic (6), version (2), header length (2)
        int total = (prefix + text.Length + 1 + 63) / 64 * 64;
        var header = text.PadRight(total - prefix - 1) + "\n";
        var bytes = new byte[total];
        bytes[0] = 0x93;
        "NUMPY"u8.CopyTo(bytes.AsSpan(1));
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(prefix));
        return bytes;
    }
}
