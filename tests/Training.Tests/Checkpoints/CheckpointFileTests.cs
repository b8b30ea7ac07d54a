using System.Security.Cryptography;
using System.Text;
using GradGuessCluster.Training.Checkpoints;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Checkpoints;

/// <summary>
/// The checkpoint file's own checks, below the trainer: damage anywhere is caught by the checksum, and a header that
/// was written wrong (a checksum that matches, over contents that do not make sense) is refused by name, not met with
/// an overflow, a null key or a native allocation failure.
/// </summary>
public sealed class CheckpointFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-ckpt-").FullName;

    [Fact]
    public void AHandMadeFile_WithAValidChecksum_Reads()
    {
        var path = Craft("ok", """{"Fingerprint":"f","Epoch":3,"Step":7,"OptimizerSteps":7,"Diverged":[1],"Tensors":[{"Name":"a","Dtype":"f32","Shape":[2]}]}""",
            BitConverter.GetBytes(1.5f).Concat(BitConverter.GetBytes(-2f)).ToArray());
        var state = CheckpointFile.Read(path);
        try
        {
            Assert.Equal(("f", 3, 7L), (state.Fingerprint, state.Epoch, state.Step));
            Assert.Equal([1.5f, -2f], state.Tensors["a"].data<float>().ToArray());
        }
        finally
        {
            foreach (var t in state.Tensors.Values) t.Dispose();
        }
    }

    [Theory]
    [InlineData("""{"Fingerprint":"f","Epoch":0,"Step":0,"OptimizerSteps":0,"Tensors":[{"Name":"a","Dtype":"f32","Shape":[1099511627776,1099511627776]}]}""", "runs past the end")]
    [InlineData("""{"Fingerprint":"f","Epoch":0,"Step":0,"OptimizerSteps":0,"Tensors":[{"Name":"a","Dtype":"f32","Shape":[4611686018427387904,4]}]}""", "runs past the end")]
    [InlineData("""{"Fingerprint":"f","Epoch":0,"Step":0,"OptimizerSteps":0,"Tensors":[{"Dtype":"f32","Shape":[1]}]}""", "has no name")]
    [InlineData("""{"Fingerprint":"f","Epoch":0,"Step":0,"OptimizerSteps":0,"Tensors":[{"Name":"a","Dtype":"f32","Shape":[1]},{"Name":"a","Dtype":"f32","Shape":[1]}]}""", "listed twice")]
    [InlineData("""{"Epoch":0,"Step":0,"OptimizerSteps":0,"Tensors":[{"Name":"a","Dtype":"f32","Shape":[2]}]}""", "no fingerprint")]
    [InlineData("""{"Fingerprint":"f","Epoch":-1,"Step":0,"OptimizerSteps":0,"Tensors":[{"Name":"a","Dtype":"f32","Shape":[2]}]}""", "negative counters")]
    [InlineData("""{"Fingerprint":"f","Epoch":0,"Step":0,"OptimizerSteps":0,"Tensors":[{"Name":"a","Dtype":"c64","Shape":[2]}]}""", "unknown tensor dtype")]
    [InlineData("""{"Fingerprint":"f","Epoch":0,"Step":0,"OptimizerSteps":0,"Tensors":[{"Name":"a","Dtype":"f32","Shape":[-2]}]}""", "bad shape")]
    [InlineData("""{"Fingerprint":"f","Epoch":0,"Step":0,"OptimizerSteps":0,"Tensors":[{"Name":"a","Dtype":"f32","Shape":[1]}]}""", "4 unexpected bytes")]
    public void AHeaderWrittenWrong_IsRefusedByName(string header, string problem)
    {
        var path = Craft("bad", header, new byte[8]);
        var e = Assert.Throws<CheckpointCorruptException>(() => CheckpointFile.Read(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void DamageAnywhere_IsCaught()
    {
        var path = Path.Combine(_dir, "real.ckpt");
        using (var a = tensor(Enumerable.Range(0, 300).Select(i => (float)i).ToArray()))
        using (var b = tensor(new long[] { 4, 5 }))
            CheckpointFile.Write(path, new CheckpointState("fp", 2, 10, 10, [], new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b }));
        var original = File.ReadAllBytes(path);
        var random = new Random(7);
        for (int i = 0; i < 200; i++)
        {
            var bytes = (byte[])original.Clone();
            int at = random.Next(bytes.Length);
            if (i % 4 == 3) bytes = bytes[..at];                                          // cut short
            else bytes[at] ^= (byte)(1 << random.Next(8));                                // one bit flipped
            var damaged = Path.Combine(_dir, $"damaged-{i}.ckpt");
            File.WriteAllBytes(damaged, bytes);
            var e = Assert.Throws<CheckpointCorruptException>(() => CheckpointFile.Read(damaged));
            Assert.Equal(damaged, e.FilePath);
        }
    }

    [Fact]
    public void AFileThatCannotBeRead_IsNotCalledCorrupt()
    {
        // Gone between being found and being opened (as after an I/O error, nothing was read): a later try may read it,
        // so nothing may suggest throwing it away as damaged.
        var path = Path.Combine(_dir, "gone.ckpt");
        var e = Assert.Throws<CheckpointUnreadableException>(() => CheckpointFile.Read(path));
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith($"checkpoint {path}: cannot be read: ", e.Message);
        Assert.IsType<FileNotFoundException>(e.InnerException);
    }

    [Fact]
    public void ADirectoryWhereTheFileBelongs_IsUnreadableToo_NotCorrupt()
    {
        // .NET opens it with UnauthorizedAccessException, not an IOException (as it does a file without read permission,
        // which cannot be made here: the tests may run as root).
        var path = Directory.CreateDirectory(Path.Combine(_dir, "dir.ckpt")).FullName;
        var e = Assert.Throws<CheckpointUnreadableException>(() => CheckpointFile.Read(path));
        Assert.IsType<UnauthorizedAccessException>(e.InnerException);
    }

    /// <summary>A resumed pack reads its weights straight into its own tensors: the target of the same shape and type
    /// gets the file's values in its own memory, the rest are new tensors; the header is offered first, and a refusal
    /// there leaves the targets as they were.</summary>
    [Fact]
    public void ReadInto_FillsTheTargetsInPlace_AfterTheHeaderWasAccepted()
    {
        var path = Path.Combine(_dir, "into.ckpt");
        using (var a = tensor(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), [3, 4]))
        using (var b = tensor(new long[] { 4, 5 }))
            CheckpointFile.Write(path, new CheckpointState("fp", 2, 10, 10, [], new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b }));
        using var liveA = zeros(3, 4);
        using var liveB = zeros(2);                                           // float, the file's is long: not read into
        var refused = Assert.Throws<InvalidOperationException>(() => CheckpointFile.Read(path, header =>
            header.Fingerprint == "other" ? _ => null : throw new InvalidOperationException("not this one")));
        Assert.Equal("not this one", refused.Message);
        Assert.Equal(0, liveA.abs().sum().item<float>());

        var offered = new List<string>();
        var state = CheckpointFile.Read(path, header =>
        {
            Assert.Equal(("fp", 2, 0), (header.Fingerprint, header.Epoch, header.Tensors.Count));   // before any tensor
            return name => { offered.Add(name); return name == "a" ? liveA : liveB; };
        });
        try
        {
            Assert.Equal(["a", "b"], offered);
            Assert.Equal(Enumerable.Range(0, 12).Select(i => (float)i), liveA.data<float>().ToArray());
            Assert.Equal([4L, 5L], state.Tensors["b"].data<long>().ToArray());
            Assert.Equal([0f, 0f], liveB.data<float>().ToArray());
            state.Tensors["a"][2, 3] = tensor(-1f);                           // a view of the target, not a copy
            Assert.Equal(-1f, liveA[2, 3].item<float>());
        }
        finally { foreach (var t in state.Tensors.Values) t.Dispose(); }
        Assert.Equal(10f, liveA[2, 2].item<float>());                         // disposing the view left the target
    }

    /// <summary>Writes magic, format version 1, the header and the payload, then the SHA-256 of all of it: a file whose
    /// checksum matches whatever it says.</summary>
    private string Craft(string name, string header, byte[] payload)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var body = "GGCKPT"u8.ToArray().Concat(BitConverter.GetBytes((ushort)1)).Concat(BitConverter.GetBytes(headerBytes.Length))
            .Concat(headerBytes).Concat(payload).ToArray();
        var path = Path.Combine(_dir, name + ".ckpt");
        File.WriteAllBytes(path, [.. body, .. SHA256.HashData(body)]);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
