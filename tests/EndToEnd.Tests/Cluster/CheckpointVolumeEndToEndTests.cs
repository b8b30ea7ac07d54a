using System.Text.RegularExpressions;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// Three silo processes clustered through Redis, two sharing a checkpoint directory and one with its own (a node whose
/// volume was not mounted): before any pack moves, each silo says which others do not see its checkpoint directory, in
/// its log and in gradguess_checkpoint_dir_unshared, and the two that share it say nothing about each other.
/// </summary>
[Trait("Category", "EndToEnd"), Collection(ClusterCollection.Name)]
public sealed class CheckpointVolumeEndToEndTests
{
    [Fact]
    public async Task ASiloWithItsOwnCheckpointDirectory_IsNamedByEveryOtherSilo_AndNamesThemAll()
    {
        await using var store = await ClusterStore.StartAsync("redis");
        using var dir = new TempDirectory("gg-ckvol");
        var (shared, own) = (dir.Combine("shared"), dir.Combine("own"));
        var silos = new[] { ("ck-a", shared), ("ck-b", shared), ("ck-c", own) }
            .Select(s => SiloProcess.Start(s.Item1, dir, [.. store.Args.SiloArgs(s.Item2), "--GradGuess:CheckpointShareCheckSeconds=1"]))
            .ToDictionary(s => s.Name);
        try
        {
            await Task.WhenAll(silos.Values.Select(s => s.WaitActiveAsync(TimeSpan.FromSeconds(90))));
            var expected = new Dictionary<string, string[]> { ["ck-a"] = ["ck-c"], ["ck-b"] = ["ck-c"], ["ck-c"] = ["ck-a", "ck-b"] };

            foreach (var (name, unshared) in expected)
                await Waiting.UntilAsync(async () => Gauge(name, unshared.Length).IsMatch(await MetricsAsync(silos[name])),
                    TimeSpan.FromSeconds(30), () => $"{name}: no {Gauge(name, unshared.Length)} in its metrics:\n{silos[name].Process.LogTail()}");

            foreach (var (name, unshared) in expected)
            {
                var log = File.ReadAllText(silos[name].Process.LogPath);
                foreach (var other in silos.Keys.Where(o => o != name))
                {
                    var warning = $"The checkpoint directory {(name == "ck-c" ? own : shared)} is not shared with silo {other}: its marker is not there";
                    Assert.True(log.Contains(warning, StringComparison.Ordinal) == unshared.Contains(other), $"{name} about {other}:\n{silos[name].Process.LogTail()}");
                }
            }
        }
        finally
        {
            foreach (var silo in silos.Values) silo.Dispose();
        }
    }

    /// <summary>The gauge's line for <paramref name="silo"/> at <paramref name="value"/> (other labels, a timestamp, may follow).</summary>
    private static Regex Gauge(string silo, int value) =>
        new($"^gradguess_checkpoint_dir_unshared\\{{[^}}]*silo=\"{silo}\"[^}}]*\\}} {value}(\\s|$)", RegexOptions.Multiline);

    private static async Task<string> MetricsAsync(SiloProcess silo)
    {
        try { return await silo.MetricsAsync(); }
        catch (HttpRequestException) { return ""; }
    }
}
