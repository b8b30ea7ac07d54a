using System.Text.Json.Nodes;
using GradGuessCluster.Client.Tests.Support;
using FreePorts = GradGuessCluster.EndToEnd.Tests.Infrastructure.FreePorts;

namespace GradGuessCluster.Client.Tests.Doctor;

/// <summary><c>gradguess doctor</c> as a process on this machine: the CPU trains, Fashion-MNIST is Debian's, the other
/// sets and the state directory are a temporary directory's, so each test sets up what it checks.</summary>
public sealed class DoctorCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-doctor-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Cache => Path.Combine(_dir, "cache");

    private CliRunner.Result Doctor(IReadOnlyDictionary<string, string?>? extra, params string[] args)
    {
        var env = new Dictionary<string, string?>(CliRunner.NoClusterEnvironment) { ["XDG_CACHE_HOME"] = Cache };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) env[k] = v;
        return CliRunner.Run(TimeSpan.FromMinutes(2), _dir, env, ["doctor", .. args]);
    }

    private static JsonObject Finding(CliRunner.Result r, string area, string subject = "") =>
        JsonNode.Parse(r.Stdout)!.AsArray().Select(f => f!.AsObject())
            .Single(f => (string?)f["area"] == area && (string?)f["subject"] == subject);

    [Fact]
    public void Doctor_OnThisMachine_TrainsOnTheCpuReadsFashionMnistAndCreatesNothing()
    {
        var state = Path.Combine(_dir, "state");
        var r = Doctor(null, "--json", "--state-dir", state);

        Assert.Equal(0, r.ExitCode);
        var cpu = Finding(r, "device", "cpu");
        Assert.Equal("ok", (string?)cpu["status"]);
        Assert.Matches(@"backprop's loss (\d\.\d{3}) → (\d\.\d{3})\); fp32 matmul [\d.]+ GFLOP/s on one thread", (string?)cpu["detail"]);
        Assert.Equal("ok", (string?)Finding(r, "libtorch")["status"]);
        var fashion = Finding(r, "data", "fashion-mnist");
        Assert.Equal(("ok", "60,000 train and 10,000 test examples in /usr/share/datasets/fashion-mnist"),
            ((string?)fashion["status"], (string?)fashion["detail"]));
        var mnist = Finding(r, "data", "mnist");
        Assert.Equal(("warn", $"not found in {Cache}/gradguess/mnist"), ((string?)mnist["status"], (string?)mnist["detail"]));
        Assert.Contains("gradguess download mnist", (string?)mnist["fix"]);
        Assert.StartsWith($"{state} does not exist yet: local creates it ({_dir} is writable, ", (string?)Finding(r, "state")["detail"]);
        Assert.Equal("info", (string?)Finding(r, "cluster")["status"]);   // nothing at the default gateway: no problem
        Assert.False(Directory.Exists(state));
        Assert.False(Directory.Exists(Cache));
    }

    [Fact]
    public void Doctor_TheCpusLossesFall_OverTheSmokeRun()
    {
        var detail = (string)Finding(Doctor(null, "--json"), "device", "cpu")["detail"]!;
        var m = System.Text.RegularExpressions.Regex.Match(detail, @"loss (\d\.\d{3}) → (\d\.\d{3})");
        Assert.True(double.Parse(m.Groups[2].Value) < double.Parse(m.Groups[1].Value), detail);
    }

    [Fact]
    public void Doctor_CorruptDataSet_FailsNamingTheFileAndExitsOne()
    {
        var mnist = Directory.CreateDirectory(Path.Combine(Cache, "gradguess", "mnist")).FullName;
        File.WriteAllBytes(Path.Combine(mnist, "train-images-idx3-ubyte"), [0, 0, 8, 3, 0, 0]);   // a header cut short

        var r = Doctor(null);

        Assert.Equal(1, r.ExitCode);
        Assert.Matches($@"(?m)^FAIL  data      mnist: {System.Text.RegularExpressions.Regex.Escape(mnist)}/train-\S+: ", r.Stdout);
        Assert.Matches(@"(?m)^ok    data      fashion-mnist: 60,000 train", r.Stdout);   // the others still checked
        Assert.EndsWith("1 problem, 1 warning: fix the problems above before training here\n", r.Stdout);
        Assert.Equal(6, new FileInfo(Path.Combine(mnist, "train-images-idx3-ubyte")).Length);   // read, not touched
    }

    [Fact]
    public void Doctor_StateDirectoryUnderAFile_Fails()
    {
        var file = Path.Combine(_dir, "plain");
        File.WriteAllText(file, "x");

        var r = Doctor(null, "--json", "--state-dir", Path.Combine(file, "state"));

        Assert.Equal(1, r.ExitCode);
        var state = Finding(r, "state");
        Assert.Equal(("fail", $"{file}, a parent of {file}/state, is a file"), ((string?)state["status"], (string?)state["detail"]));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Doctor_StateDirectoryThatCannotBeWritten_FailsSayingSo()
    {
        var state = Directory.CreateDirectory(Path.Combine(_dir, "read-only")).FullName;
        File.SetUnixFileMode(state, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var r = CliRunner.RunHeldToFileModes("doctor", "--json", "--state-dir", state);

        var found = Finding(r, "state");
        Assert.Equal(("fail", $"--state-dir {state}: not writable"), ((string?)found["status"], (string?)found["detail"]));
        Assert.Empty(Directory.GetFileSystemEntries(state));   // its probe file gone with it
    }

    [Fact]
    public void Doctor_NamedGatewayThatDoesNotAnswer_FailsTheClusterCheck()
    {
        var port = FreePorts.Next();
        var r = Doctor(null, "--json", "--gateway", $"127.0.0.1:{port}", "--connect-timeout", "0.5");

        Assert.Equal(1, r.ExitCode);
        var cluster = Finding(r, "cluster");
        Assert.Equal("fail", (string?)cluster["status"]);
        Assert.StartsWith($"cannot reach the gateway 127.0.0.1:{port} (cluster 'gradguess'): ", (string?)cluster["detail"]);
    }

    [Fact]
    public void Doctor_LibTorchVariableNamingNoLibTorch_FailsThatCheckAndStillChecksTheData()
    {
        var missing = Path.Combine(_dir, "no-torch");
        var r = Doctor(new Dictionary<string, string?> { ["GRADGUESS_LIBTORCH"] = missing }, "--json");

        Assert.Equal(1, r.ExitCode);
        var torch = Finding(r, "libtorch");
        Assert.Equal(("fail", $"GRADGUESS_LIBTORCH={missing}: no libtorch.so there"), ((string?)torch["status"], (string?)torch["detail"]));
        Assert.DoesNotContain(JsonNode.Parse(r.Stdout)!.AsArray(), f => (string?)f!["area"] == "device");   // nothing to train with
        Assert.Equal("ok", (string?)Finding(r, "data", "fashion-mnist")["status"]);
    }

    [Fact]
    public void Doctor_MalformedGateway_IsAUsageErrorBeforeAnyCheck()
    {
        var r = Doctor(null, "--gateway", "nohost");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("gradguess: --gateway: expected host:port, got 'nohost'", Assert.Single(r.StderrLines));
        Assert.Empty(r.Stdout);
    }

    /// <summary>A set kept elsewhere, as --data-dir names it to train: only that set is read, and a corrupt file there
    /// fails naming it, as a run pointed there would.</summary>
    [Fact]
    public void Doctor_DataDirHoldingACorruptSet_FailsNamingTheFile_AndChecksNoOtherSet()
    {
        // Debian's Fashion-MNIST, but for its training images: a header of 60,000 28×28 images and 16 bytes of them.
        var mine = Directory.CreateDirectory(Path.Combine(_dir, "my-fashion")).FullName;
        foreach (var name in new[] { "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" })
            File.Copy(Path.Combine("/usr/share/datasets/fashion-mnist", name), Path.Combine(mine, name));
        File.WriteAllBytes(Path.Combine(mine, "train-images-idx3-ubyte"), [0, 0, 8, 3, 0, 0, 0xEA, 0x60, 0, 0, 0, 28, 0, 0, 0, 28, .. new byte[16]]);

        var r = Doctor(null, "--json", "--data", "fashion-mnist", "--data-dir", mine);

        Assert.Equal(1, r.ExitCode);
        var data = JsonNode.Parse(r.Stdout)!.AsArray().Select(f => f!.AsObject()).Where(f => (string?)f["area"] == "data").ToList();
        var mnist = Assert.Single(data);
        Assert.Equal(("fashion-mnist", "fail"), ((string?)mnist["subject"], (string?)mnist["status"]));
        Assert.StartsWith($"{mine}/train-images-idx3-ubyte: ", (string?)mnist["detail"]);
        Assert.StartsWith($"move {mine}/train-images-idx3-ubyte away and run ./gradguess download fashion-mnist --dir {mine}", (string?)mnist["fix"]);
    }

    [Fact]
    public void Doctor_DataDirWithoutTheSetsFiles_FailsWithHowToPutThemThere()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;

        var r = Doctor(null, "--json", "--data", "fashion-mnist", "--data-dir", empty);

        Assert.Equal(1, r.ExitCode);
        var fashion = Finding(r, "data", "fashion-mnist");
        Assert.Equal(("fail", $"not found in {empty} (--data-dir)"), ((string?)fashion["status"], (string?)fashion["detail"]));
        Assert.Contains($"./gradguess download fashion-mnist --dir {empty}", (string?)fashion["fix"]);
    }

    [Fact]
    public void Doctor_DataSetNamed_IsTheOnlyOneChecked_AtItsStandardPlace()
    {
        var r = Doctor(null, "--json", "--data", "fashion-mnist");

        Assert.Equal(0, r.ExitCode);
        var data = JsonNode.Parse(r.Stdout)!.AsArray().Where(f => (string?)f!["area"] == "data").ToList();
        Assert.Equal("fashion-mnist", (string?)Assert.Single(data)!["subject"]);
    }

    [Theory]
    [InlineData("--data,mnst", "--data: unknown set 'mnst' (did you mean 'mnist'?")]
    [InlineData("--data-dir,somewhere", "--data-dir: name the one set whose files are there with --data")]
    [InlineData("--data,mnist,--data,cifar10,--data-dir,somewhere", "--data-dir: name the one set whose files are there with --data")]
    [InlineData("--data,synthetic,--data-dir,somewhere", "--data-dir: synthetic data is generated")]
    public void Doctor_DataOptionsThatNameNoOneSet_AreUsageErrorsBeforeAnyCheck(string args, string message)
    {
        var r = Doctor(null, args.Split(','));

        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("gradguess: " + message, Assert.Single(r.StderrLines));
        Assert.Empty(r.Stdout);
    }
}
