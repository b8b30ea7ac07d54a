namespace GradGuessCluster.Training.Data;

/// <summary>
/// Reads the CIFAR-10 binary format: batch files of records of 1 label byte + 3072 pixel bytes (channel-major
/// 32x32 R, G, B planes). The official files hold exactly 10000 records each; this reader accepts any positive whole
/// number of records (so tests can use small files) and says, when a length is wrong, whether the file is short of
/// a whole record or simply not the official size. Labels must be below 10.
/// </summary>
public static class Cifar10Reader
{
    public const int ImageBytes = 3 * 32 * 32;
    public const int RecordBytes = 1 + ImageBytes;
    public const int OfficialRecordsPerFile = 10000;
    public const int Classes = 10;

    /// <summary>The folder the official archive unpacks to.</summary>
    public const string FolderName = "cifar-10-batches-bin";

    public static readonly IReadOnlyList<string> TrainFiles =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    public const string TestFile = "test_batch.bin";

    /// <summary>The folder holding the batch files: <paramref name="directory"/> itself or its
    /// <c>cifar-10-batches-bin</c> subfolder (the directory itself when neither holds them, so errors name it).</summary>
    public static string ResolveDirectory(string directory)
    {
        if (File.Exists(Path.Combine(directory, TestFile)) || File.Exists(Path.Combine(directory, TrainFiles[0])))
            return directory;
        var sub = Path.Combine(directory, FolderName);
        return Directory.Exists(sub) ? sub : directory;
    }

    /// <summary>Reads batch files into one array of pixels [N * 3072] and one of labels [N].</summary>
    public static (byte[] Pixels, byte[] Labels) Read(IReadOnlyList<string> paths)
    {
        var records = paths.Select(CheckFile).ToArray();
        long total = records.Sum(r => (long)r);
        if (total * ImageBytes > Array.MaxLength)
            throw new DataFormatException(paths[0], $"{total} records in {paths.Count} files are too many to hold in memory");
        var pixels = new byte[total * ImageBytes];
        var labels = new byte[total];
        var buffer = new byte[records.Max() * RecordBytes];
        long at = 0;
        for (int f = 0; f < paths.Count; f++)
        {
            var path = paths[f];
            int n = records[f];
            using (var stream = DataFile.OpenRaw(path))
            {
                int got = DataFile.ReadUpTo(stream, buffer.AsSpan(0, n * RecordBytes), path);
                if (got < n * RecordBytes)
                    throw new DataFormatException(path, $"truncated while reading: {got} of {n * RecordBytes} bytes");
            }
            for (int r = 0; r < n; r++)
            {
                byte label = buffer[r * RecordBytes];
                if (label >= Classes)
                    throw new DataFormatException(path, $"label {label} of record {r} is outside [0, {Classes})");
                labels[at + r] = label;
                Buffer.BlockCopy(buffer, r * RecordBytes + 1, pixels, (int)((at + r) * ImageBytes), ImageBytes);
            }
            at += n;
        }
        return (pixels, labels);
    }

    /// <summary>As <see cref="CheckFile"/>, and reads each record's label byte (one positioned read each, the pixels
    /// skipped: some 10 ms for a batch), so that a mislabelled batch is refused before a sweep trains rather than by
    /// every cell's load. Returns the number of records.</summary>
    public static int CheckFileAndLabels(string path)
    {
        int records = CheckFile(path);
        using var stream = DataFile.OpenRaw(path);
        Span<byte> label = stackalloc byte[1];
        for (int r = 0; r < records; r++)
        {
            int got;
            try { got = RandomAccess.Read(stream.SafeFileHandle, label, (long)r * RecordBytes); }
            catch (IOException e) { throw new DataFormatException(path, "read failed: " + e.Message, e); }
            if (got != 1)
                throw new DataFormatException(path, $"truncated while reading: it ended at record {r} of {records}");
            if (label[0] >= Classes)
                throw new DataFormatException(path, $"label {label[0]} of record {r} is outside [0, {Classes})");
        }
        return records;
    }

    /// <summary>Checks that the file exists and holds a positive whole number of records; returns that number.</summary>
    public static int CheckFile(string path)
    {
        DataFile.ThrowIfSpecial(path);   // a FIFO's length is 0: "empty" would mislead
        long length;
        try
        {
            length = new FileInfo(path).Length;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFormatException(path, "file not found", e);
        }
        if (length == 0)
            throw new DataFormatException(path, "empty file; a CIFAR-10 batch holds 3073-byte records (10000 in the official files)");
        if (length % RecordBytes != 0)
            throw new DataFormatException(path,
                $"{length} bytes is not a whole number of 3073-byte records ({length / RecordBytes} records + {length % RecordBytes} bytes): "
                + $"truncated or not a CIFAR-10 binary batch (the official files are exactly {(long)OfficialRecordsPerFile * RecordBytes} bytes)");
        if (length / RecordBytes > int.MaxValue / RecordBytes)
            throw new DataFormatException(path, $"{length} bytes is too large for a CIFAR-10 batch file");
        return (int)(length / RecordBytes);
    }
}
