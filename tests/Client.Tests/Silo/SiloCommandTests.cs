using FreePorts = GradGuessCluster.EndToEnd.Tests.Infrastructure.FreePorts;
using RedisServer = GradGuessCluster.EndToEnd.Tests.Infrastructure.RedisServer;
using Waiting = GradGuessCluster.EndToEnd.Tests.Infrastructure.Waiting;
using System.Globalization;
using System.Net;
using GradGuessCluster.Client.Local;
using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Training;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Client.Tests.Silo;

/// <summary><c>gradguess silo</c> refusing what it cannot run, before anything starts: the real client process.</summary>
public sealed class SiloCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-silo-" + Guid.NewGuid().ToString("N")[..8]);

    public SiloCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Silo_MoreGpusThanTorchSharpSees_ExitsTwoAtStartNamingTheSetting()
    {
        int visible = TorchRuntime.CudaDeviceCount();
        var result = CliRunner.Run(TimeSpan.FromSeconds(60), null, "silo", "--gpus", $"{visible + 1}", "--state-dir", _dir);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.Contains("GradGuess:GpuCount", line);
        Assert.Contains($"TorchSharp sees {visible} CUDA device{(visible == 1 ? "" : "s")}", line);
    }

    [Theory]
    [InlineData("--state-dir", "FILE", "is a file")]
    [InlineData("--state-dir", "FILE/sub", "a parent is a file")]
    [InlineData("--checkpoint-dir", "/proc/ck", "cannot create: ")]
    [InlineData("--checkpoint-dir", "/proc", "not writable")]
    public void Silo_UnusableStateOrCheckpointDir_ExitsTwoAtStartWithOneLineSayingWhy(string option, string dir, string reason)
    {
        var file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "x");
        dir = dir.Replace("FILE", file, StringComparison.Ordinal);
        string[] stateDir = option == "--state-dir" ? [] : ["--state-dir", Path.Combine(_dir, "state")];
        var result = CliRunner.Run(TimeSpan.FromSeconds(60), null, ["silo", option, dir, .. stateDir, .. Ports(FreePorts.Next())]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"gradguess: {option} {dir}: {reason}", Assert.Single(result.StderrLines));
        Assert.Equal("", result.Stdout);   // no stack trace, nothing started
    }

    [Theory]
    [InlineData("--GradGuess:Redis=foo bar", "GradGuess:Redis: expected host:port, got 'foo bar'")]
    [InlineData("--GradGuess:Redis=127.0.0.1:notaport", "GradGuess:Redis: expected host:port, got '127.0.0.1:notaport'")]
    [InlineData("--GradGuess:Membership:ProbeTimee=00:00:05", "GradGuess:Membership:ProbeTimee: unknown setting (did you mean 'ProbeTimeout'? known: ")]
    [InlineData("--GradGuess:Membership:ProbeTimeout=abc", "GradGuess:Membership:ProbeTimeout: 'abc' is not a valid time span")]
    [InlineData("--GradGuess:Membership:ProbeTimeout=5", "GradGuess:Membership:ProbeTimeout: '5' would mean 5 days")]
    [InlineData("--GradGuess:Postgres=Hots=db", "GradGuess:Postgres: not a PostgreSQL connection string: Couldn't set hots (no such key)")]   // was exit 1, unnamed
    [InlineData("--GradGuess:Postgres=Database=gg", "GradGuess:Postgres: names no Host")]
    public void Silo_BadRedisOrMembershipSetting_ExitsTwoAtStartNamingIt(string setting, string expected)
    {
        string[] redis = setting.StartsWith("--GradGuess:Redis", StringComparison.Ordinal) ? ["--clustering", "redis", "--storage", "redis"]
            : setting.StartsWith("--GradGuess:Postgres", StringComparison.Ordinal) ? ["--clustering", "postgres", "--storage", "postgres"] : [];
        var result = CliRunner.Run(TimeSpan.FromSeconds(60), null,
            ["silo", "--state-dir", Path.Combine(_dir, "state"), setting, .. redis, .. Ports(FreePorts.Next())]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("gradguess: invalid silo configuration: " + expected, Assert.Single(result.StderrLines));
        Assert.Equal("", result.Stdout);
    }

    [Theory]
    [InlineData("GradGuess__StateDirectory", "GradGuess:StateDirectory")]
    [InlineData("GradGuess__CheckpointDirectory", "GradGuess:CheckpointDirectory")]
    public void Silo_UnusableDirectoryFromTheEnvironment_IsBlamedOnItsSettingNotOnAnOption(string variable, string setting)
    {
        var file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "x");
        var environment = new Dictionary<string, string?> { [variable] = file };
        string[] stateDir = variable.EndsWith("StateDirectory", StringComparison.Ordinal) ? [] : ["--state-dir", Path.Combine(_dir, "state")];
        var result = CliRunner.Run(TimeSpan.FromSeconds(60), null, environment, ["silo", .. stateDir, .. Ports(FreePorts.Next())]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"gradguess: {setting} {file}: is a file", Assert.Single(result.StderrLines));
    }

    [Fact]
    public async Task Silo_FileStorage_HoldsItsStateDirectory_ASecondSiloOnItExitsTwo_ButARedisStateSiloTakesNoLock()
    {
        var state = Path.Combine(_dir, "state");
        int http = FreePorts.Next(), gateway = FreePorts.Next();
        using var first = new LocalProcess(["silo", "--cpu-training", "--state-dir", state, .. Ports(http, gateway)]);
        await first.WaitHealthyAsync(http);
        // Without --cpu-slots a CPU-only silo trains a pack per core (one beside GPUs), and says so as it becomes active.
        int gpus = TorchRuntime.CudaDeviceCount();
        var slots = (gpus > 0 ? $"{gpus} GPU{(gpus == 1 ? "" : "s")} × 1 slot and 1 CPU slot"
            : Environment.ProcessorCount == 1 ? "1 CPU slot" : $"{Environment.ProcessorCount} CPU slots")
            + $", whose packs may hold {Units.Bytes(CpuPackMemory.MachineBytes)} between them";   // the machine's memory, as .NET reports it
        var ready = $"is active with {slots}; clients connect with --gateway 127.0.0.1:{gateway}";
        await Waiting.UntilAsync(() => Task.FromResult((first.Stdout + first.Stderr).Contains(ready)), TimeSpan.FromSeconds(10),
            () => $"no '{ready}' in the silo's output:\n{first.Stdout}{first.Stderr}");   // the console logger writes behind
        // /healthz names the gateway clients should use (a localhost-clustered silo advertises the loopback address).
        using (var client = new HttpClient())
        {
            var health = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync($"http://127.0.0.1:{http}/healthz")).RootElement;
            Assert.Equal($"127.0.0.1:{gateway}", health.GetProperty("gateway").GetString());
        }

        var second = CliRunner.Run(TimeSpan.FromSeconds(60), null, ["silo", "--cpu-training", "--state-dir", state, .. Ports(FreePorts.Next())]);
        Assert.Equal(2, second.ExitCode);
        Assert.Contains($"--state-dir {state} is in use by another gradguess", Assert.Single(second.StderrLines));

        // Grain state in Redis: the directory holds only checkpoints, which silos share. Not locked, so this one gets as
        // far as its (unreachable) Redis, given checkpoints of its own: those under the state directory are the file
        // store's, whose sweeps' checkpoints a Redis service's packs of the same names would delete.
        var redis = CliRunner.Run(TimeSpan.FromSeconds(60), null, ["silo", "--clustering", "redis", "--storage", "redis",
            "--redis", $"127.0.0.1:{FreePorts.Next()},connectTimeout=500", "--GradGuess:StartupAttempts=1", "--state-dir", state,
            "--checkpoint-dir", Path.Combine(_dir, "redis-checkpoints"), .. Ports(FreePorts.Next())]);
        Assert.Equal(1, redis.ExitCode);
        Assert.Contains("after 1 attempt:", Assert.Single(redis.StderrLines));

        first.Signal("TERM");
        Assert.Equal(0, first.WaitForExit(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Silo_WrongRedisPassword_ExitsTwoAtOnce_NotRetriedAsIfRedisWereDown()
    {
        // Every attempt is refused alike: 8 attempts over about 31 s, then "cannot reach Redis" (exit 1).
        await using var redis = await RedisServer.StartAsync(password: "right");
        var started = DateTime.UtcNow;
        var result = CliRunner.Run(TimeSpan.FromSeconds(90), null,
            ["silo", "--state-dir", Path.Combine(_dir, "state"), "--clustering", "redis", "--storage", "redis",
             "--redis", redis.ConnectionString + ",password=wrong", .. Ports(FreePorts.Next())]);
        Assert.True(result.ExitCode == 2, result.Stdout + result.Stderr);
        Assert.Equal($"gradguess: invalid silo configuration: GradGuess:Redis: Redis at {redis.ConnectionString} refused the connection's credentials; " +
                     "check its password= (and user=)", Assert.Single(result.StderrLines));
        Assert.DoesNotContain("Reaching Redis failed (attempt", result.Stdout + result.Stderr);   // refused, not retried
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), $"took {DateTime.UtcNow - started}");   // 8 attempts take 31 s
    }

    private static string[] Ports(int http, int? gateway = null) =>
        ["--silo-port", Text(FreePorts.Next()), "--gateway-port", Text(gateway ?? FreePorts.Next()), "--http-port", Text(http)];

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
