using FreePorts = GradGuessCluster.EndToEnd.Tests.Infrastructure.FreePorts;
using GradGuessCluster.Client.Local;
using GradGuessCluster.Grains.Diagnostics;
using GradGuessCluster.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace GradGuessCluster.Client.Tests.Silo;

/// <summary>
/// What a long-lived silo's /metrics holds after many cells, through the real Prometheus exporter: forgotten cells are
/// gone, no cell falls into the SDK's unlabelled overflow series, and counters keep one series per sweep × method ×
/// optimizer, however many cells ran.
/// </summary>
[Collection(nameof(MetricsExportTests))]   // the instruments are process-wide
public sealed class MetricsExportTests
{
    private const string Sweep = "metrics-export-test";

    [Fact]
    public async Task ManyCellsOverTime_KeepTheirLabels_ForgottenOnesLeave_AndCountersStayPerGroup()
    {
        await using var exporter = await Exporter.StartAsync();

        // Five rounds of 500 cells, each scraped while active and then forgotten: 2500 cells in all, past the SDK's
        // default of 2000 series per metric, which it never gives back under cumulative export.
        string scrape = "";
        for (var round = 0; round < 5; round++)
        {
            var cells = Enumerable.Range(round * 500, 500)
                .Select(i => new CellLabels(Sweep, i % 2 == 0 ? "wt" : "directional", "adamw", 1e-3, Seed: i)).ToList();
            foreach (var c in cells) SweepInstruments.EpochCompleted(c, 0.5, 1000, 0.3, 0.9, 0.8, null);
            await Task.Delay(400);   // past the exporter's response cache
            scrape = await exporter.ScrapeAsync();
            Assert.Equal(500, Series(scrape, "gradguess_cell_test_accuracy").Count);
            foreach (var c in cells) SweepInstruments.ForgetCell(c);
        }

        Assert.DoesNotContain("otel_metric_overflow", scrape);
        Assert.Contains($"seed=\"{2499}\"", scrape);
        Assert.DoesNotContain($"seed=\"{0}\"", string.Join("\n", Series(scrape, "gradguess_cell_test_accuracy")));
        var epochs = Series(scrape, "gradguess_epochs_completed_total");
        Assert.Equal(2, epochs.Count);                                      // wt and directional, all seeds in one
        Assert.All(epochs, e => Assert.DoesNotContain("seed=", e));
        Assert.Contains(Series(scrape, "gradguess_samples_total"), s => s.EndsWith(" 1250000", StringComparison.Ordinal));

        await Task.Delay(400);
        Assert.Empty(Series(await exporter.ScrapeAsync(), "gradguess_cell_test_accuracy"));
    }

    /// <summary>A silo that trains many sweeps over its life: every sweep × method × optimizer keeps its own counter and
    /// histogram series, and every sweep its cell counts, past the SDK's default of 2000, after which new sweeps fell
    /// into the unlabelled overflow series and out of every rate and percentile panel.</summary>
    [Fact]
    public async Task ManySweepsOverTime_KeepTheirCounterAndHistogramSeries()
    {
        await using var exporter = await Exporter.StartAsync();

        for (var i = 0; i < 2500; i++)
        {
            var cell = new CellLabels($"{Sweep}-many-{i}", "wt", "adamw", 1e-3, 0);
            SweepInstruments.EpochCompleted(cell, 0.5, 1000, 0.3, 0.9, 0.8, null);
            SweepInstruments.PackEpochTimed(cell, 0.5);
            SweepInstruments.CheckpointWritten(0.01, cell.Sweep, cell.Method);
            SweepInstruments.ForgetCell(cell);
            SweepInstruments.SetCellStates(cell.Sweep, new Dictionary<string, int> { ["running"] = 1 });
        }
        var scrape = await exporter.ScrapeAsync();
        for (var i = 0; i < 2500; i++) SweepInstruments.ForgetCellStates($"{Sweep}-many-{i}");

        Assert.DoesNotContain("otel_metric_overflow", scrape);
        foreach (var metric in new[] { "gradguess_epochs_completed_total", "gradguess_samples_total", "gradguess_epoch_duration_seconds_count",
                     "gradguess_checkpoint_duration_seconds_count", "gradguess_cells" })
            Assert.Equal(2500, scrape.Split('\n').Count(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && l.Contains($"sweep=\"{Sweep}-many-")));
    }

    [Fact]
    public void StoppedCells_DropThroughputAndLaterTheRest_DivergedOnesEverythingAtOnce()
    {
        var finished = new CellLabels(Sweep + "-2", "wt", "sgd", 1e-2, 0);
        var diverged = finished with { Seed = 1 };
        foreach (var c in new[] { finished, diverged }) SweepInstruments.EpochCompleted(c, 0.5, 1000, 0.3, 0.9, 0.8, 0.5);

        SweepInstruments.CellStopped(finished);
        SweepInstruments.ForgetCell(diverged);                               // what the grain does when a cell diverges

        var seen = Gauges();
        Assert.DoesNotContain((MetricNames.SamplesPerSecond, finished), seen);
        Assert.Contains((MetricNames.TestAccuracy, finished), seen);         // the final accuracy lingers for scrapes
        Assert.DoesNotContain(seen, s => s.Cell == diverged);

        SweepInstruments.CellStopped(finished, linger: TimeSpan.Zero);      // ... until its time is up
        Assert.DoesNotContain(Gauges(), s => s.Cell == finished);
    }

    [Fact]
    public void ACellThatTrainsAgainAfterItsPackEnded_StartsFromNothing_NotFromTheLingeringValues()
    {
        // A sweep deleted and submitted again within the linger, with the same method, optimizer, LR and seed: the new cell
        // showed the old one's accuracies until its first evaluation, and its cosine similarity for the whole run where
        // the new spec samples none.
        var cell = new CellLabels(Sweep + "-2", "wt", "adamw", 1e-4, 3);
        SweepInstruments.EpochCompleted(cell, 0.5, 1000, 0.3, 0.9, 0.8, 0.5, stepCosine: 0.25);
        Assert.Contains((MetricNames.StepCosine, cell), Gauges());
        SweepInstruments.CellStopped(cell);

        SweepInstruments.EpochCompleted(cell, 0.5, 1000, 2.3, null, null, null);   // the new sweep's first, unevaluated epoch

        var seen = Gauges().Where(s => s.Cell == cell).Select(s => s.Gauge).ToList();
        Assert.Contains(MetricNames.TrainLoss, seen);
        Assert.DoesNotContain(MetricNames.TestAccuracy, seen);
        Assert.DoesNotContain(MetricNames.CosineSimilarity, seen);
        Assert.DoesNotContain(MetricNames.StepCosine, seen);
        SweepInstruments.ForgetCell(cell);
    }

    /// <summary>The sample lines of one metric for this test's sweep.</summary>
    private static List<string> Series(string scrape, string metric) =>
        scrape.Split('\n').Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && l.Contains($"sweep=\"{Sweep}\"")).ToList();

    /// <summary>Which per-cell gauges report which of this test's cells now.</summary>
    private static List<(string Gauge, CellLabels Cell)> Gauges()
    {
        var seen = new List<(string, CellLabels)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MetricNames.Meter && MetricNames.CellGauges.Contains(instrument.Name)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(x => x.Key, x => x.Value as string);
            if (t["sweep"] == Sweep + "-2")
                seen.Add((instrument.Name, new CellLabels(t["sweep"]!, t["method"]!, t["optimizer"]!, double.Parse(t["lr"]!, System.Globalization.CultureInfo.InvariantCulture), int.Parse(t["seed"]!, System.Globalization.CultureInfo.InvariantCulture))));
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }

    /// <summary>The silo's metrics setup behind the real Prometheus exporter, on a free loopback port.</summary>
    private sealed class Exporter(WebApplication app, int port) : IAsyncDisposable
    {
        private readonly HttpClient _http = new();

        public static async Task<Exporter> StartAsync()
        {
            var port = FreePorts.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Services.AddGradGuessMetrics("test-instance");
            var app = builder.Build();
            app.MapPrometheusScrapingEndpoint();
            await app.StartAsync();
            return new Exporter(app, port);
        }

        public Task<string> ScrapeAsync() => _http.GetStringAsync($"http://127.0.0.1:{port}/metrics");

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await app.DisposeAsync();
        }
    }
}


[CollectionDefinition(nameof(MetricsExportTests), DisableParallelization = true)]
public sealed class MetricsExportCollection;
