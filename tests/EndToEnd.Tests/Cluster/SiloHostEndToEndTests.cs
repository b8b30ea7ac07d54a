using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Xunit.Abstractions;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>The silo host as a process: configuration errors, bounded start-up retries, and a graceful SIGTERM that
/// checkpoints running cells so that a restarted silo finishes the sweep exactly.</summary>
[Trait("Category", "EndToEnd"), Collection(ClusterCollection.Name)]
public sealed class SiloHostEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Silo_InvalidConfiguration_ExitsTwoNamingEveryBadKeyOnOneLine()
    {
        var run = await Gradguess.RunAsync(["silo", "--clustering", "redis", "--storage", "nope", "--http-port", "70000"]);
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.Contains("GradGuess:Storage: unknown 'nope'", line);
        Assert.Contains("GradGuess:Redis: a connection string is required", line);
        Assert.Contains("GradGuess:HttpPort: 70000", line);
    }

    [Fact]
    public async Task Silo_MisspeltOrMistypedSettings_ExitTwoNamingEachKey_InsteadOfBeingIgnored()
    {
        var run = await Gradguess.RunAsync(["silo", "--GradGuess:CheckpointDir=/shared/ckpt", "--GradGuess:HttpPort=80a",
            "--GradGuess:AllowCpuTraining=yes"]);
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.Contains("GradGuess:CheckpointDir: unknown setting", line);
        Assert.Contains("GradGuess:HttpPort: '80a' is not a valid whole number", line);
        Assert.Contains("GradGuess:AllowCpuTraining: 'yes' is not a valid true/false value", line);

        // Accepted before, and ignored: localhost clustering advertises loopback whatever AdvertisedIp says.
        var advertised = await Gradguess.RunAsync(["silo", "--GradGuess:AdvertisedIp=10.1.2.3"]);
        Assert.Equal(2, advertised.ExitCode);
        Assert.Contains("GradGuess:AdvertisedIp: localhost clustering always advertises 127.0.0.1", advertised.Stderr);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]                                              // no retry at all (Polly refuses a retry strategy of 0)
    public async Task Silo_RedisUnreachable_RetriesABoundedNumberOfTimesAndFails(int attempts)
    {
        using var dir = new TempDirectory("gg-noredis");
        var run = await Gradguess.RunAsync(["silo", "--clustering", "redis", "--storage", "redis", "--redis", $"127.0.0.1:{FreePorts.Next()},connectTimeout=1000",
            "--http-port", $"{FreePorts.Next()}", "--state-dir", dir.Path, $"--GradGuess:StartupAttempts={attempts}"], TimeSpan.FromSeconds(60));
        output.WriteLine(run.ToString());
        Assert.Equal(1, run.ExitCode);
        for (int a = 1; a < attempts; a++) Assert.Contains($"Reaching Redis failed (attempt {a} of {attempts})", run.Stdout);
        Assert.DoesNotContain($"attempt {attempts} of {attempts}", run.Stdout);   // the last attempt's failure is the error, not a retry
        Assert.StartsWith("gradguess: ", run.Stderr);
        Assert.Contains($"after {attempts} attempt{(attempts == 1 ? "" : "s")}", run.Stderr);
    }

    [Fact]
    public async Task Silo_SigtermWhileTraining_CheckpointsThenARestartedSiloFinishesEveryCurveOnce()
    {
        using var dir = new TempDirectory("gg-sigterm");
        var clusterId = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        const string sweep = "e2e-sigterm";
        const int epochs = 200;
        string[] args = ["--cluster-id", clusterId, "--service-id", clusterId, "--cpu-training", "--cpu-slots", "2"];
        var state = dir.Combine("state");
        // Periodic checkpoints are rare (every 150 epochs); the stop must write one for each pack wherever it stands.
        var spec = TestSpecs.Write(dir, sweep, ["backprop", "wt"], ["adamw"], [1e-2], [0], epochs, checkpointEvery: 150);

        int stoppedAt;
        DateTime sigtermAt;
        using (var first = SiloProcess.Start("first", dir, args, state))
        {
            await first.WaitActiveAsync(TimeSpan.FromSeconds(90));
            // Connected before the submit, and closed only after the SIGTERM: neither the connection (seconds on a loaded
            // machine) nor its closing lies between the cells' start and the poll, or between the poll and the signal,
            // where the cells could train to their end.
            await using (var client = await TestClient.ConnectAsync(clusterId, null, first.GatewayPort))
            {
                await Gradguess.OkAsync(["submit", spec, "--gateway", first.Gateway, "--cluster-id", clusterId, "--service-id", clusterId]);
                var running = await client.WaitForAsync(sweep, s => s.Cells.All(c => c.State == CellState.Running && c.Epoch >= 10), TimeSpan.FromSeconds(60));
                stoppedAt = running.Cells.Min(c => c.Epoch);
                // Not "no checkpoint yet": on a loaded machine the cells can pass epoch 150 before the poll above sees
                // epoch 10 (a rare failure of this test until it compared write times instead).
                sigtermAt = DateTime.UtcNow;
                Assert.True(first.Process.Terminate(TimeSpan.FromSeconds(60)), "the silo did not exit after SIGTERM:\n" + first.Process.LogTail());
            }
            Assert.Equal(0, first.Process.ExitCode);
            var log = File.ReadAllText(first.Process.LogPath);
            Assert.True(log.Contains("Running cells stopped and checkpointed", StringComparison.Ordinal), "no suspend before the stop:\n" + first.Process.LogTail(60));
            // The operator sees the stop begin (with what it waits for) and end.
            Assert.Matches(@"Silo \S+ stopping: 2 pack\(s\) training here stop at their next epoch boundary and checkpoint", log);
            Assert.Matches(@"Silo \S+ stopped and left the cluster in \d+\.\d s", log);
            Assert.True(log.IndexOf(" stopping: 2 pack(s)", StringComparison.Ordinal) < log.IndexOf("Running cells stopped", StringComparison.Ordinal));
        }
        var checkpoints = Directory.GetFiles(dir.Path, "*.ckpt", SearchOption.AllDirectories);
        Assert.Equal(2, checkpoints.Length);
        foreach (var ckpt in checkpoints)   // file times come from the kernel's coarse clock: allow it a few ticks
            Assert.True(File.GetLastWriteTimeUtc(ckpt) >= sigtermAt.AddMilliseconds(-20), $"{Path.GetFileName(ckpt)} was not written by the shutdown " +
                $"(written {File.GetLastWriteTimeUtc(ckpt):HH:mm:ss.fff}, SIGTERM sent {sigtermAt:HH:mm:ss.fff})");

        // The restarted silo gives each pack two threads: a resume under other numerics than the checkpoint's, which the
        // silo trains on and warns of.
        using (var second = SiloProcess.Start("second", dir, [.. args, "--threads", "2"], state))
        {
            await second.WaitActiveAsync(TimeSpan.FromSeconds(90));
            string[] connect = ["--gateway", second.Gateway, "--cluster-id", clusterId, "--service-id", clusterId];
            Assert.Contains("completed", await Gradguess.OkAsync(["watch", sweep, .. connect]));
            // Its status keeps the resumes under other numerics (the last of the two packs', and the count).
            Assert.Matches(@"\nnumerics: pack \S+ resumed under libtorch [^,]+, cpu, 2 threads, .* \(its checkpoint was written under "
                + @"libtorch [^,]+, cpu, 1 thread, .*\): training goes on correctly, but its curves can differ from here in the last bits from an uninterrupted run's, 2 such resumes in all\n",
                await Gradguess.OkAsync(["status", sweep, .. connect]));
            var rows = JsonNode.Parse(await Gradguess.OkAsync(["export", sweep, "--format", "json", .. connect]))!.AsArray();
            CurveChecks.AssertCompleteWithoutDuplicates(rows, cells: 2, epochs);
            output.WriteLine($"stopped at epoch >= {stoppedAt}; resumed and completed {rows.Count} rows");
            Assert.Equal(HttpStatusCode.OK, await second.HealthAsync());
            Assert.True(second.Process.Terminate(TimeSpan.FromSeconds(60)));
            // CPU training is deterministic, so complete curves cannot tell a resume from a restart at epoch 0: each pack
            // must have loaded the checkpoint the SIGTERM wrote, at least at the epoch it was seen at before the stop.
            var log = File.ReadAllText(second.Process.LogPath);
            foreach (var pack in checkpoints.Select(c => Path.GetFileName(c).Split('.')[0]))
            {
                var resumed = Regex.Match(log, $"Pack {sweep}/{pack}: resuming from its checkpoint at epoch (\\d+)\\b");
                Assert.True(resumed.Success, $"pack {pack} did not resume from its checkpoint:\n" + second.Process.LogTail(60));
                var epoch = int.Parse(resumed.Groups[1].Value, CultureInfo.InvariantCulture);
                Assert.True(epoch >= stoppedAt && epoch < epochs, $"pack {pack} resumed at epoch {epoch}, but had reached {stoppedAt} before the stop");
                Assert.Matches($"Pack {sweep}/{pack}: its checkpoint was written under libtorch [^,]+, cpu, 1 thread, [^\\n]*, and it resumes "
                    + "under libtorch [^,]+, cpu, 2 threads, ", log);
            }
        }

        // With no silo running, the read-only verbs read the state directory offline.
        var status = JsonNode.Parse(await Gradguess.OkAsync(["status", sweep, "--json", "--state-dir", state]))!;
        Assert.Equal("completed", (string?)status["state"]);
        var offline = JsonNode.Parse(await Gradguess.OkAsync(["export", sweep, "--format", "json", "--state-dir", state]))!.AsArray();
        CurveChecks.AssertCompleteWithoutDuplicates(offline, cells: 2, epochs);
        Assert.Equal(2, JsonNode.Parse(await Gradguess.OkAsync(["results", sweep, "--json", "--state-dir", state]))!["rows"]!.AsArray().Count);
        await Gradguess.OkAsync(["plot", sweep, "--out", dir.Combine("offline.png"), "--state-dir", state]);
        Assert.True(new FileInfo(dir.Combine("offline.png")).Length > 1000);
    }
}
