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
}
