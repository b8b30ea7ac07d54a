using System.Buffers.Binary;

namespace GradGuessCluster.Training.Data;

/// <summary>
/// Reads the IDX files of MNIST and Fashion-MNIST, raw or gzipped. Everything is validated before it is trusted:
/// the magic (00 00 08 ndims), the dimension sizes, the exact payload length (a truncated file and trailing bytes
/// are both errors), image/label count agreement and the label range. Every failure is a
/// <see cref="DataFormatException"/> naming the file.
/// </summary>
public static class MnistIdxReader
{
    /// <summary>Both MNIST and Fashion-MNIST images are 28x28.</summary>
    public const int ImageSide = 28;

    private const byte UnsignedByte = 0x08;
    private const int MaxDims = 4;

    /// <summary>Reads a whole IDX file of unsigned bytes.</summary>
    public static IdxArray Read(string path) => Read(path, header => header);

    /// <param name="require">Checks the header's shape before its payload is allocated: a corrupt size is refused for
    /// what it is, not after reading as much of the file as it promises.</param>
    private static IdxArray Read(string path, Func<IdxArray, IdxArray> require)
    {
        using var stream = DataFile.Open(path, out bool gzipped);
        var header = require(ReadHeader(stream, path));
        var data = ReadPayload(stream, header, gzipped, path);
        long extra = DataFile.CountRemaining(stream, path);
        if (extra > 0)
            throw new DataFormatException(path, $"{extra} unexpected bytes after the {data.Length} data bytes ({Describe(header.Shape)})");
        return header with { Data = data };
    }

    /// <summary>The payload the header promises. A raw file's length is compared first; a gzipped one's buffer grows
    /// as it decompresses. Either way a header whose sizes lie costs what the file holds, not the gigabytes it claims.</summary>
    private static byte[] ReadPayload(Stream stream, IdxArray header, bool gzipped, string path)
    {
        long length = header.PayloadBytes;
        Exception Truncated(long got) => new DataFormatException(path,
            $"truncated: the header promises {length} data bytes ({Describe(header.Shape)}) but the file holds {got}");
        if (!gzipped && stream.Length - stream.Position < length) throw Truncated(stream.Length - stream.Position);
        var data = new byte[gzipped ? Math.Min(length, 1 << 20) : length];
        int got = 0;
        while (true)
        {
            got += DataFile.ReadUpTo(stream, data.AsSpan(got), path);
            if (got < data.Length || data.Length == length) break;   // the stream ended, or all is there
            Array.Resize(ref data, (int)Math.Min(length, 2L * data.Length));
        }
        if (got < length) throw Truncated(got);
        return data;
    }

    /// <summary>Reads an images file: [N, 28, 28].</summary>
    public static IdxArray ReadImages(string path) => Read(path, RequireImages);

    /// <summary>Reads a labels file: [N], every label in [0, <paramref name="classes"/>).</summary>
    public static IdxArray ReadLabels(string path, int classes = 10)
    {
        var labels = Read(path, RequireLabels);
        var data = labels.Data;
        for (int i = 0; i < data.Length; i++)
            if (data[i] >= classes)
                throw new DataFormatException(path, $"label {data[i]} at index {i} is outside [0, {classes})");
        return labels;
    }

    /// <summary>Reads an images file and its labels file and checks that they describe the same examples.</summary>
    public static (IdxArray Images, IdxArray Labels) ReadPair(string imagesPath, string labelsPath, int classes = 10)
    {
        var labels = ReadLabels(labelsPath, classes);     // the small file first: a mismatch fails fast
        var images = ReadImages(imagesPath);
        RequireSameCount(images, labels);
        return (images, labels);
    }

    /// <summary>
    /// Reads only the header (Data is empty) and checks the file's length cheaply: exactly header + payload for a
    /// raw file; for a gzipped file, the uncompressed size recorded in the gzip trailer (ISIZE, mod 2^32).
    /// </summary>
    public static IdxArray ReadHeader(string path)
    {
        IdxArray header;
        bool gzipped;
        using (var stream = DataFile.Open(path, out gzipped)) header = ReadHeader(stream, path);
        long expected = header.HeaderBytes + header.PayloadBytes;
        using var raw = DataFile.OpenRaw(path);
        if (!gzipped)
        {
            if (raw.Length != expected) throw LengthMismatch(path, header, raw.Length, "");
            return header;
        }
        uint isize = DataFile.ReadWhole(path, () =>
        {
            Span<byte> trailer = stackalloc byte[4];
            raw.Seek(-4, SeekOrigin.End);
            raw.ReadExactly(trailer);
            return BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        });
        if (isize == (uint)expected) return header;
        // The trailer records only the last member's size: a file of several gzip members (cat a.gz b.gz), which the
        // reader takes, disagrees with it. Decompressing settles it (and names a truncation as such).
        long holds;
        using (var whole = DataFile.Open(path, out _)) holds = DataFile.CountRemaining(whole, path);
        if (holds != expected) throw LengthMismatch(path, header, holds, " uncompressed");
        return header;
    }

    private static DataFormatException LengthMismatch(string path, IdxArray header, long holds, string what)
    {
        long expected = header.HeaderBytes + header.PayloadBytes;
        return new DataFormatException(path, holds < expected
            ? $"truncated: the header promises {expected} bytes ({Describe(header.Shape)}) but the file holds {holds}{what}"
            : $"{holds - expected} unexpected bytes after the {header.PayloadBytes} data bytes ({Describe(header.Shape)})");
    }

    /// <summary>Check of an images/labels pair before a sweep starts: the images file's header and length, and the whole
    /// labels file (a few dozen KB), its label range included, since a mislabelled file would fail every cell.</summary>
    public static (IdxArray Images, IdxArray Labels) CheckPair(string imagesPath, string labelsPath, int classes = 10)
    {
        var labels = ReadLabels(labelsPath, classes);
        var images = RequireImages(ReadHeader(imagesPath));
        RequireSameCount(images, labels);
        return (images, labels);
    }

    private static IdxArray ReadHeader(Stream stream, string path)
    {
        Span<byte> magic = stackalloc byte[4];
        if (DataFile.ReadUpTo(stream, magic, path) < 4)
            throw new DataFormatException(path, "truncated: shorter than the 4-byte IDX magic");
        if (magic[0] != 0 || magic[1] != 0)
            throw new DataFormatException(path, $"not an IDX file: magic {Convert.ToHexString(magic)}, expected 000008 followed by the dimension count");
        if (magic[2] != UnsignedByte)
            throw new DataFormatException(path, $"IDX data type 0x{magic[2]:X2} ({TypeName(magic[2])}); only 0x08 (unsigned byte) is supported");
        int ndims = magic[3];
        if (ndims is < 1 or > MaxDims)
            throw new DataFormatException(path, $"IDX dimension count {ndims} is outside [1, {MaxDims}]");
        var dims = new byte[4 * ndims];
        if (DataFile.ReadUpTo(stream, dims, path) < dims.Length)
            throw new DataFormatException(path, $"truncated: the header declares {ndims} dimensions but ends early");
        var shape = new int[ndims];
        for (int i = 0; i < ndims; i++)
        {
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(dims.AsSpan(4 * i));
            if (shape[i] <= 0)
                throw new DataFormatException(path, $"IDX dimension {i} has size {shape[i]}; sizes must be positive");
        }
        var header = new IdxArray(path, shape, []);
        if (header.PayloadBytes > Array.MaxLength)
            throw new DataFormatException(path, $"the header's sizes {Describe(shape)} promise more data than an array holds ({Array.MaxLength} bytes)");
        return header;
    }

    private static IdxArray RequireImages(IdxArray a)
    {
        if (a.Shape.Length != 3 || a.Shape[1] != ImageSide || a.Shape[2] != ImageSide)
            throw new DataFormatException(a.Path, $"expected images of shape [N, {ImageSide}, {ImageSide}], found {Describe(a.Shape)}");
        return a;
    }

    private static IdxArray RequireLabels(IdxArray a)
    {
        if (a.Shape.Length != 1)
            throw new DataFormatException(a.Path, $"expected labels of shape [N], found {Describe(a.Shape)}");
        return a;
    }

    private static void RequireSameCount(IdxArray images, IdxArray labels)
    {
        if (images.Count != labels.Count)
            throw new DataFormatException(labels.Path, $"holds {labels.Count} labels but {images.Path} holds {images.Count} images");
    }

    private static string Describe(int[] shape) => "[" + string.Join(", ", shape) + "]";

    private static string TypeName(byte code) => code switch
    {
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "unknown",
    };
}
