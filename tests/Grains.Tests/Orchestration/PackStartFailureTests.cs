using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A pack whose training grain cannot start for a reason that may pass (its state unreadable, not damaged: a
/// directory where the file belongs, as an unmounted or failing volume gives) is retried, but with a growing pause, and
/// the sweep's status says why; once the cause is gone it trains on, and the other packs train meanwhile.</summary>
public sealed partial class PackStartFailureTests
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\((\d+) tries, the next after ")]
    private static partial System.Text.RegularExpressions.Regex TriesSaid();

    [Fact]
    public async Task APackThatCannotStart_IsRetriedWithGrowingPauses_StatusSaysWhy_AndItTrainsOnceItCan()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        var spec = TestSpecs.Small("stuck-pack", [0.1, 0.01], epochs: 16) with { CheckpointEvery = 2 };
        var directory = Path.Combine(Path.GetTempPath(), "gg-packstart-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var stateFile = await CancelledMidPack.RunAsync(directory, spec, trainer);
            var aside = stateFile + ".aside";
            File.Move(stateFile, aside);
            Directory.CreateDirectory(stateFile);

            var logs = new LogCapture();
            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer, directory,
                services: s => s.AddSingleton<ILoggerProvider>(logs));
            var sweep = second.Sweep("stuck-pack");
            await sweep.ResumeAsync();
            // Status names each failure, from the second on, with the pause before the next try: "(2 tries, the next after
            // 1 s)", then 2 s, then 4 s. A count appears after the start of the poll before the first to read it, and
            // before the end of that first one: from the former for count N to the latter for count N+1 is at least the
            // time between the two tries. A try that came before its announced pause was over (a pause that did not grow,
            // or one announced but not kept) makes that span shorter than the pause.
            var firstSeen = new Dictionary<int, (TimeSpan Before, TimeSpan After, string Problem)>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var previousPoll = TimeSpan.Zero;
            string? problem = null;
            while (!firstSeen.ContainsKey(4))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"status did not reach the 4th try; last read: {problem ?? "no problem"}");
                var poll = clock.Elapsed;
                problem = (await sweep.GetStatusAsync())!.Problem;
                if (problem is not null && TriesSaid().Match(problem) is { Success: true } m)
                    firstSeen.TryAdd(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), (previousPoll, clock.Elapsed, problem));
                previousPoll = poll;
                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }
            foreach (var (tries, pause) in new[] { (2, 1.0), (3, 2.0), (4, 4.0) })
            {
                Assert.True(firstSeen.TryGetValue(tries, out var seen), $"status never read {tries} tries: {string.Join("; ", firstSeen.Select(kv => kv.Value.Problem))}");
                Assert.Contains($"({tries} tries, the next after {pause:0} s): ", seen.Problem);
                if (tries == 4) continue;
                // 10% off for what the pack's start does between its failure and the requeue that shows it.
                var gap = firstSeen[tries + 1].After - seen.Before;
                Assert.True(gap >= TimeSpan.FromSeconds(0.9 * pause),
                    $"try {tries + 1} came at most {gap.TotalSeconds:0.00} s after try {tries}, which announced {pause:0} s");
            }
            Assert.True(logs.Matching("not started, re-queued").Count >= 4, "a failed start was not logged");
            problem = firstSeen[4].Problem;
            Assert.Contains(stateFile, problem);
            Assert.StartsWith("pack ", problem);
            Assert.Contains(" could not be started (", problem);
            await second.WaitForAsync("stuck-pack", s => s.Count(CellState.Completed) == 1, TimeSpan.FromSeconds(30),
                "the other pack did not train");

            Directory.Delete(stateFile);
            File.Move(aside, stateFile);
            var done = await second.WaitForFinishAsync("stuck-pack", TimeSpan.FromSeconds(40));
            Assert.Equal(SweepState.Completed, done.State);
            Assert.All(done.Cells, c => Assert.Equal(CellState.Completed, c.State));
            Assert.Null(done.Problem);
            Curves.AssertUninterrupted(await sweep.GetCurvesAsync(null), spec, trainer);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
