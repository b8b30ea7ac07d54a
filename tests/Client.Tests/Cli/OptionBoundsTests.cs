using System.Globalization;
using System.Text.Json.Nodes;
using GradGuessCluster.Client.Commands;
using GradGuessCluster.Client.Planning;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Client.Tests.Cli;

/// <summary>Option values and environment variables out of any sane range are refused as invalid input (exit 2, one line
/// naming them) before they cost anything: each of these once exhausted the machine, ran out of memory, or failed with
/// .NET's own message (exit 1).</summary>
public sealed class OptionBoundsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-bounds-").FullName;
    private static readonly string[] Train = ["train", "--data", "synthetic", "--width", "16", "--depth", "2", "--batch-size", "64", "--optimizer", "sgd", "--lr", "0.1"];
    private static readonly string[] Bench = ["bench", "--data", "synthetic", "--width", "16", "--depth", "2", "--warmup", "0", "--timed", "1", "--methods", "backprop", "--batch-sizes", "32", "--out", "none"];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CliRunner.Result Refused(CliRunner.Result r)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.StderrLines);
        Assert.Empty(r.Stdout);
        return r;
    }

    [Theory]
    [InlineData("train")]
    [InlineData("bench")]
    [InlineData("plan")]
    [InlineData("local")]
    public void Threads_OverTheCap_IsRefusedWhileParsing(string verb)
    {
        var spec = LocalSpecs.Write(_dir, "threads", epochs: 1);
        string[] args = verb switch
        {
            "train" => Train,
            "bench" => Bench,
            "plan" => ["plan", spec, "--measure"],
            _ => ["local", spec, "--state-dir", Path.Combine(_dir, "state")],
        };
        foreach (var threads in new[] { TorchRuntime.MaxThreads + 1, 100_000 })
        {
            var r = Refused(CliRunner.Run([.. args, "--threads", threads.ToString(CultureInfo.InvariantCulture)]));
            Assert.Equal($"gradguess: --threads must be from 1 to {TorchRuntime.MaxThreads} (libtorch starts that many threads per pack), got {threads}",
                r.StderrLines[0]);
        }
        Assert.False(Directory.Exists(Path.Combine(_dir, "state")), "a refused local must not touch its state directory");
    }

    /// <summary>The silo's cells set their threads too, from its settings rather than an option.</summary>
    [Fact]
    public void SetThreads_OverTheCap_IsRefusedBeforeLibTorchStartsThem() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchRuntime.SetThreads(TorchRuntime.MaxThreads + 1));

    [Fact]
    public void Makespan_OfMoreSlotsThanPacks_IsThatOfOneSlotAPack() =>
        Assert.Equal(3.0, SlotSchedule.Makespan([3.0, 1, 2], int.MaxValue));   // was a queue entry per slot: out of memory

    [Fact]
    public void Plan_SlotsBeyondThePacks_GiveTheTimeOfOneSlotAPack()
    {
        var spec = LocalSpecs.Write(_dir, "slots", epochs: 1);   // 4 packs of one cell
        var all = CliRunner.Run(TimeSpan.FromMinutes(1), null, "plan", spec, "--gflops", "1", "--json", "--slots", int.MaxValue.ToString(CultureInfo.InvariantCulture));
        var four = CliRunner.Run(TimeSpan.FromMinutes(1), null, "plan", spec, "--gflops", "1", "--json", "--slots", "4");
        Assert.Equal(0, all.ExitCode);
        Assert.Equal(0, four.ExitCode);
        var (a, f) = (JsonNode.Parse(all.Stdout)!["cost"]!, JsonNode.Parse(four.Stdout)!["cost"]!);
        Assert.Equal(int.MaxValue, (int)a["slots"]!);
        Assert.True((double)f["seconds"]! > 0);
        Assert.Equal((double)f["seconds"]!, (double)a["seconds"]!);
    }

    [Theory]
    [InlineData("1e-300")]
    [InlineData("0.0009")]
    [InlineData("1.1e9")]
    [InlineData("Infinity")]
    public void Gflops_OutOfRange_IsRefused(string gflops)
    {
        var r = Refused(CliRunner.Run("plan", LocalSpecs.Write(_dir, "rate", epochs: 1), "--gflops", gflops));
        Assert.StartsWith("gradguess: --gflops must be a number > 0 in GFLOP/s, from 0.001 to 1e9 (got ", r.StderrLines[0], StringComparison.Ordinal);
    }

    /// <summary>The slowest rate on the largest model and schedule a spec allows: more seconds than a TimeSpan holds (it
    /// failed, exit 1 "TimeSpan overflowed"), said as a bound.</summary>
    [Fact]
    public void Plan_ATimeBeyondATimeSpan_IsSaidAsMoreThanABound()
    {
        var spec = Path.Combine(_dir, "huge.yaml");
        File.WriteAllText(spec, "name: huge\ndata: {set: synthetic, train: 10000000, test: 1, features: 2}\nmodel: {depth: 64, width: 4096}\n" +
                                "methods: [backprop]\noptimizers: [sgd]\nlearningRates: [0.1]\nepochs: 1000000\n");
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, "plan", spec, "--gflops", "0.001");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"  time         more than {TimeLeft.MaxYears} years on 1 slot, at 0.001 GFLOP/s per slot", r.Stdout);
    }

    [Theory]
    [InlineData("2147483647")]
    [InlineData("1,1025")]
    public void Bench_PackOverTheCap_IsRefused(string packs)
    {
        var r = Refused(CliRunner.Run([.. Bench, "--packs", packs]));
        var size = packs.Split(',')[^1];
        Assert.Equal($"gradguess: --packs: {size} cells in a pack, more than a bench takes ({BenchCommand.MaxPackSize}: its cells' learning rates halve one to the next)",
            r.StderrLines[0]);
    }

    [Fact]
    public void Bench_PackOfMoreParametersThanAPackHolds_IsRefusedBeforeTheDataLoads()
    {
        // One cell of this model fits a pack's flat tensors; two do not.
        var r = Refused(CliRunner.Run(CliRunner.WithOption(CliRunner.WithOption([.. Bench, "--packs", "1,2"], "--width", "8192"), "--depth", "20")));
        Assert.StartsWith("gradguess: --packs 2: width 8192 × depth 20", r.StderrLines[0], StringComparison.Ordinal);
        Assert.EndsWith("more than one pack's flat tensors can index (2,147,483,647)", r.StderrLines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--batch-sizes", "1,1", "1")]
    [InlineData("--batch-sizes", "32, 64, 032", "32")]
    [InlineData("--packs", "4,1,4", "4")]
    [InlineData("--methods", "wt,backprop,wt", "wt")]
    public void Bench_DuplicateListValue_IsRefused(string option, string values, string duplicate)
    {
        var r = Refused(CliRunner.Run(CliRunner.WithOption(Bench, option, values)));
        Assert.Equal($"gradguess: {option}: duplicate value {duplicate}", r.StderrLines[0]);
    }

    [Theory]
    [InlineData(new[] { "download", "mnist", "--dir", "" }, "--dir")]
    [InlineData(new[] { "train", "--data", "mnist", "--optimizer", "sgd", "--lr", "0.1", "--data-dir", "" }, "--data-dir")]
    [InlineData(new[] { "bench", "orchestration", "--state-dir", "" }, "--state-dir")]
    public void EmptyDirectory_IsRefusedAsEveryOptionRefusesIt(string[] args, string option) =>
        Assert.Equal($"gradguess: {option}: give a directory, not an empty path", Refused(CliRunner.Run(args)).StderrLines[0]);

    [Theory]
    [InlineData("local", "--cpu-slots", "-1", "--cpu-slots must be >= 0, got -1")]
    [InlineData("local", "--gpus", "-2", "--gpus must be >= 0, got -2")]
    [InlineData("bench", "--warmup", "-1", "--warmup must be >= 0, got -1")]
    [InlineData("bench", "--timed", "0", "--timed must be >= 1, got 0")]
    [InlineData("bench orchestration", "--epochs", "0", "--epochs must be 1 to 1000000, got 0")]
    [InlineData("bench orchestration", "--slots", "-3", "--slots must be 1 to 1024, got -3")]
    [InlineData("bench orchestration", "--slots", "2000", "--slots must be 1 to 1024, got 2000")]
    [InlineData("bench orchestration", "--cells", "2000000", "--cells must be 1 to 1000000, got 2000000")]
    [InlineData("bench orchestration", "--epochs", "2000000", "--epochs must be 1 to 1000000, got 2000000")]
    public void ACountOutOfBounds_IsNamedAlone_WithItsValue(string verb, string option, string value, string message)
    {
        string[] args = verb switch
        {
            "local" => ["local", LocalSpecs.Write(_dir, "bounds", epochs: 1), "--state-dir", Path.Combine(_dir, "state")],
            "bench" => Bench,
            _ => ["bench", "orchestration"],
        };
        Assert.Equal($"gradguess: {message}", Refused(CliRunner.Run(CliRunner.WithOption(args, option, value))).StderrLines[0]);
        Assert.False(Directory.Exists(Path.Combine(_dir, "state")));
    }

    [Fact]
    public void Local_SlotsPerGpuWithNoGpus_IsRefused()
    {
        var args = new[] { "local", LocalSpecs.Write(_dir, "nogpu", epochs: 1), "--state-dir", Path.Combine(_dir, "state"), "--gpus", "0", "--slots-per-gpu", "2" };
        Assert.Equal("gradguess: --slots-per-gpu applies to GPUs, and --gpus 0 trains on none", Refused(CliRunner.Run(args)).StderrLines[0]);
        Assert.False(Directory.Exists(Path.Combine(_dir, "state")));
    }

    [Theory]
    [InlineData("status", "--cluster-id", "")]
    [InlineData("watch", "--service-id", " ")]
    public void EmptyClusterIdentity_IsRefusedBeforeConnecting(string verb, string option, string value)
    {
        // Orleans refuses it only on connecting, which read as an unreachable cluster (exit 1).
        string[] args = verb == "watch" ? [verb, "s", option, value] : [verb, option, value];
        Assert.Equal($"gradguess: {option} must not be empty", Refused(CliRunner.Run(args)).StderrLines[0]);
    }

    [Fact]
    public void Train_GuessesOverTheSpecsCap_IsRefused()
    {
        var guesses = SweepSpecValidator.MaxGuesses + 1;
        var r = Refused(CliRunner.Run([.. Train, "--method", "wt", "--guesses", guesses.ToString(CultureInfo.InvariantCulture)]));
        Assert.Equal($"gradguess: --guesses must be <= {SweepSpecValidator.MaxGuesses} (as a spec's estimator.guesses), got {guesses}", r.StderrLines[0]);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("bench")]
    public void DataDir_ForSyntheticData_IsRefusedNotIgnored(string verb)
    {
        var r = Refused(CliRunner.Run([.. verb == "train" ? Train : Bench, "--data-dir", "/nonexistent"]));
        Assert.Equal("gradguess: --data-dir: synthetic data is generated, not read from files: leave --data-dir out", r.StderrLines[0]);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("local")]
    public void LibTorchVariable_NamingAFileThatDoesNotLoad_IsInvalidInputNamingIt(string verb)
    {
        var lib = Directory.CreateDirectory(Path.Combine(_dir, "torch")).FullName;
        File.WriteAllText(Path.Combine(lib, "libtorch.so"), "not a shared library");
        string[] args = verb == "train" ? Train : ["local", LocalSpecs.Write(_dir, "torch", epochs: 1), "--state-dir", Path.Combine(_dir, "state")];
        var environment = new Dictionary<string, string?> { [TorchRuntime.LibTorchDirVariable] = lib };
        var r = Refused(CliRunner.Run(TimeSpan.FromMinutes(1), null, environment, args));
        Assert.StartsWith($"gradguess: GRADGUESS_LIBTORCH={lib}: cannot load its libtorch.so: ", r.StderrLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void GatewayVariable_NamingNoGateway_IsRefusedNotTakenAsUnset()
    {
        var environment = new Dictionary<string, string?>(CliRunner.NoClusterEnvironment) { ["GRADGUESS_GATEWAY"] = ",,," };
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, environment, "status");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("gradguess: GRADGUESS_GATEWAY: names no host:port, got ',,,' (unset it for the default 127.0.0.1:30000)", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void SpecFile_OverTheCap_IsRefusedNamingItAndTheCap_AndOneAtTheCapIsRead()
    {
        var spec = File.ReadAllText(LocalSpecs.Write(_dir, "padded", epochs: 1)) + "\n#";
        var atCap = Path.Combine(_dir, "at-cap.yaml");
        File.WriteAllText(atCap, spec + new string(' ', SweepSpecParser.MaxFileBytes - spec.Length));
        var overCap = Path.Combine(_dir, "over-cap.yaml");
        File.WriteAllText(overCap, spec + new string(' ', SweepSpecParser.MaxFileBytes - spec.Length + 1));

        Assert.Equal(0, CliRunner.Run("plan", atCap).ExitCode);
        foreach (var path in new[] { overCap, "/dev/zero" })   // /dev/zero once read 4 GB, then "Insufficient memory" (exit 1)
        {
            var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, "plan", path);
            Assert.Equal(2, r.ExitCode);
            Assert.Equal($"gradguess: invalid sweep spec {path}: cannot read the spec file: it holds more than 1 MiB, the most a spec may",
                Assert.Single(r.StderrLines));
        }
    }
}
