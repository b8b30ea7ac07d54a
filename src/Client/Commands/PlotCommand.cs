using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Plotting;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess plot SWEEP --out FILE.png|.svg|.pdf</c>: accuracy (or cosine, loss, effective rank) curves, a panel per method × optimizer and
/// a curve per learning rate (averaged over seeds). With <c>--against B</c>, each panel holds the curve of each sweep's
/// best learning rate (ranked by SWEEP's selection rule), coloured by sweep.</summary>
internal sealed class PlotCommand : Command
{
    private readonly Argument<string> _sweep = SweepArgument.Required();
    private readonly SweepSourceOptions _source = new(allowOffline: true);
    private readonly Option<string> _out = new("--out")
    {
        Description = "PNG, SVG or PDF file to write, the format by its extension (through a symbolic link to its target; a FIFO or " +
                      "device straight through), or - for stdout. Not inside --state-dir or --against-state-dir",
        Required = true,
    };
    private readonly Option<string?> _format = new("--format")
    {
        Description = "The image's format: png, or svg or pdf (vector, text kept as text: for a paper's figures). Default: the --out " +
                      "file's extension; png for - or a FIFO",
        HelpName = "png|svg|pdf",
    };
    private readonly Option<string> _metric = new("--metric")
    {
        HelpName = "metric",
        Description = "train | test | both (trainAccuracy, testAccuracy as in results) | cosine (similarity with the true gradient, where sampled) | loss (trainLoss, log scale) | rank (effective rank of one weight matrix, where computed) | step-cosine (of the optimizer's step with the descent direction, where sampled) | gradient-share (one layer's fraction of the true gradient's squared norm, where sampled)",
        DefaultValueFactory = _ => "both",
    };
    private readonly Option<int?> _layer = new("--layer")
    {
        Description = "With --metric rank or gradient-share: the weight matrix (linear layer), 0 (the input layer's, the default) to depth; " +
                      "with cosine or step-cosine: that layer's cosine instead of the one over all parameters",
    };
    private readonly Option<int?> _width = new("--width")
    {
        Description = $"Image width in pixels, 300 to 10000 (default: {PngWidth}; for SVG and PDF {VectorWidth} points, so that a paper's column " +
                      "scales the 12-point labels to about 8)",
    };

    /// <summary>The default widths: a screen's, and a paper figure's, whose labels shrink with it when fitted to a column
    /// (at 1600 points they would read 3.5 points in a 6.5-inch one).</summary>
    private const int PngWidth = 1600, VectorWidth = 700;
    private readonly Option<int?> _height = new("--height") { Description = "Image height in pixels, 200 to 10000 (default: 320 per row of panels, plus 84 for the title and legend)" };
    private readonly Option<string?> _against = SweepArgument.Option("--against",
        "Another sweep: plot each sweep's best-LR curve per method × optimizer, coloured by sweep");
    private readonly AgainstSourceOption _againstSource = new("the --against sweep");
    private readonly Option<int> _smooth = new("--smooth")
    {
        Description = "Draw each curve as the mean of its last N points (fewer at its start): an accuracy curve's last point is then " +
                      "what results --window N ranks; 1 draws the points as they are",
        HelpName = "N",
        DefaultValueFactory = _ => 1,
    };

    private readonly SelectionOptions _selection = new(null, "With --rates: read this point of each curve instead of the spec's selection.at");
    private readonly RowFilterOptions _rows = new("Plot", "panels (with --rates: lines and panels)");
    private readonly Option<bool> _rates = new("--rates")
    {
        Description = "Accuracy against learning rate instead of curves: a panel per optimizer, a line per method through each rate's " +
                      "score under the spec's selection rule (as results --rates), ± the seeds' spread; --metric train, test or both",
    };

    private readonly Option<bool> _time = new("--time")
    {
        Description = "Accuracy against training time instead of epochs: a panel per optimizer, a line per method at its best learning " +
                      "rate (the spec's rule, or --at/--window), each cell's time its share of its pack's training passes; --metric " +
                      "train, test or both",
    };

    public PlotCommand() : base("plot", "Plot a sweep's accuracy (or cosine similarity, loss, effective rank) curves to a PNG, SVG or PDF")
    {
        Arguments.Add(_sweep);
        _source.AddTo(this);
        foreach (var o in new Option[] { _out, _format, _metric, _width, _height, _layer, _against, _smooth, _rates, _time }) Options.Add(o);
        _format.CompletionSources.Add("png", "svg", "pdf");
        _metric.CompletionSources.Add("train", "test", "both", "cosine", "loss", "rank", "step-cosine", "gradient-share");
        _againstSource.AddTo(this);
        _selection.AddTo(this);
        _rows.AddTo(this);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var sweep = parse.GetValue(_sweep)!;
        var path = parse.GetValue(_out)!;
        var format = Format(path, parse.GetValue(_format));
        var metric = parse.GetValue(_metric) switch
        {
            "train" or "trainAccuracy" => PlotMetric.Train,
            "test" or "testAccuracy" => PlotMetric.Test,
            "both" => PlotMetric.Both,
            "cosine" or "cosineSimilarity" => PlotMetric.Cosine,
            "loss" or "trainLoss" => PlotMetric.Loss,
            "rank" or "effectiveRank" => PlotMetric.Rank,
            "step-cosine" or "stepCosine" => PlotMetric.StepCosine,
            "gradient-share" or "layerGradientShare" => PlotMetric.GradientShare,
            var m => throw new UsageException($"--metric: expected train, test, both, cosine, loss, rank, step-cosine or gradient-share, got '{m}'"),
        };
        var layer = parse.GetValue(_layer);
        if (layer is not null && metric is not (PlotMetric.Rank or PlotMetric.GradientShare or PlotMetric.Cosine or PlotMetric.StepCosine))
            throw new UsageException("--layer: only with --metric rank, gradient-share, cosine or step-cosine");
        if (layer is < 0) throw new UsageException($"--layer: expected 0 or more, got {layer}");
        var against = parse.GetValue(_against);
        if (against is null && _againstSource.IsGiven(parse)) throw new UsageException("--against-state-dir: give the sweep to read there with --against");
        if (against is not null) _againstSource.CheckDistinct(parse, sweep, against, $"--against {against}", _source.StateDirectory(parse));
        // What the user gave is checked before connecting and reading every curve; only the default height needs the curves.
        int width = parse.GetValue(_width) ?? (format == PlotFormat.Png ? PngWidth : VectorWidth);
        CheckSize(width, parse.GetValue(_height));
        var smooth = parse.GetValue(_smooth);
        if (smooth is < 1 or > CurveSmoothing.MaxPoints)
            throw new UsageException($"--smooth must be a whole number of points from 1 to {CurveSmoothing.MaxPoints}, got {smooth}");
        OutFile.CheckOutside(path, "--state-dir", _source.StateDirectory(parse));
        OutFile.CheckOutside(path, "--against-state-dir", _againstSource.Directory(parse));
        OutFile.Check("--out", path, allowStdout: true);
        bool rates = parse.GetValue(_rates);
        if (rates && (metric is not (PlotMetric.Train or PlotMetric.Test or PlotMetric.Both) || layer is not null || against is not null || smooth > 1))
            throw new UsageException("--rates plots accuracy against learning rate: --metric train, test or both only, and no --layer, --against or --smooth");
        bool time = parse.GetValue(_time);
        if (time && (rates || metric is not (PlotMetric.Train or PlotMetric.Test or PlotMetric.Both) || layer is not null || against is not null || smooth > 1))
            throw new UsageException("--time plots accuracy against training time: --metric train, test or both only, and no --rates, --layer, --against or --smooth");
        if (!rates && !time && _selection.Given(parse))
            throw new UsageException("--at and --window: only with --rates or --time (curves are drawn whole)");
        await using var source = await _source.OpenAsync(parse, ct);
        // --method/--optimizer: the panels to draw, the names checked against the sweep's own before any curve is read.
        Func<string, string, bool> shown = (_, _) => true;
        if (_rows.Given(parse))
        {
            var (asked, optimizers) = _rows.Resolve(parse, await source.GetSpecAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep));
            shown = (method, optimizer) => asked.Contains(method) && optimizers.Contains(optimizer);
        }
        if (rates) return await PlotRatesAsync(source, sweep, metric, width, parse.GetValue(_height), path, format, shown, parse, ct);
        if (time) return await PlotTimeAsync(source, sweep, metric, width, parse.GetValue(_height), path, format, shown, parse, ct);
        var (curves, cells) = await CurvesAsync(source, sweep, metric, layer, ct);
        var exit = ExitCodes.Success;
        var incomplete = UnreadableCurves.Any(cells);
        string? label = null;                                                   // the --against sweep's name in the plot
        if (against is not null)
        {
            await using var other = await _againstSource.OpenAsync(parse, ct);
            var sourceB = other ?? source;
            label = _againstSource.Label(parse, sweep, against);
            var rule = (await source.GetSpecAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep)).SelectionOrDefault;
            // As compare says it: B's own rule may pick other learning rates than the ones plotted.
            if (await sourceB.GetSpecAsync(against, ct) is { } specB && specB.SelectionOrDefault != rule)
            {
                if (rule.Window is { } window && SelectionWindow.Problem(specB, rule.At, rule.Epoch, window) is { } wrong)
                    throw new UsageException($"{label} cannot be ranked by {sweep}'s rule: {wrong}");
                Output.Info($"{label} is ranked by {ResultsTable.Rule(rule)} here; its spec selects by {ResultsTable.Rule(specB.SelectionOrDefault)}");
            }
            var results = await source.GetResultsAsync(sweep, rule, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
            var otherResults = await sourceB.GetResultsAsync(against, rule, ct) ?? throw _againstSource.NotFound(parse, against);
            var (otherCurves, otherCells) = await CurvesAsync(sourceB, against, metric, layer, ct);
            var (mine, theirs) = (BestLrCurves.Of(sweep, curves, results).ToList(), BestLrCurves.Of(label, otherCurves, otherResults).ToList());
            if (mine.Count == 0 || theirs.Count == 0)
            {
                if (mine.Count + theirs.Count == 0)
                {
                    // What was left out may be why nothing is left: said before the refusal, as after a plot.
                    UnreadableCurves.Report(cells, sweep);
                    UnreadableCurves.Report(otherCells, label);
                    throw new UsageException($"neither {sweep} ({BestLrCurves.WhyNone(results)}) nor {label} ({BestLrCurves.WhyNone(otherResults)}) has a best-learning-rate curve to plot");
                }
                var (none, why) = mine.Count == 0 ? (sweep, BestLrCurves.WhyNone(results)) : (label, BestLrCurves.WhyNone(otherResults));
                Output.Info($"{none} has no best-learning-rate curve to plot ({why}): only the other sweep is plotted");
            }
            curves = [.. mine, .. theirs];
            exit = UnreadableCurves.Report(otherCells, label);
            incomplete |= UnreadableCurves.Any(otherCells);
        }
        curves = [.. curves.Where(c => shown(c.Method, c.Optimizer))];
        if (PlotCurve.NoneToDraw(curves, metric))
        {
            // Unreadable cells may be why no curve has a point for every seed: named before the refusal (B's were above).
            UnreadableCurves.Report(cells, label is null ? null : sweep);
            throw new UsageException(metric switch
            {
                PlotMetric.Cosine => $"sweep {sweep} has no cosine similarity{CurveTitles.InLayer(layer)} at an evaluated epoch for every seed (the spec's diagnostics: {{ cosineEvery: N }} samples it" +
                                     LayersHint(layer),
                PlotMetric.StepCosine => $"sweep {sweep} has no step cosine{CurveTitles.InLayer(layer)} at an epoch for every seed (the spec's diagnostics: {{ cosineEvery: N }} samples it; " +
                                         "sweeps trained by builds before it have none" + LayersHint(layer),
                PlotMetric.Rank => $"sweep {sweep} has no effective rank of weight matrix {layer ?? 0} at an evaluated epoch for every seed " +
                                   "(the spec's diagnostics: { effectiveRank: true } computes it; a model of depth D has matrices 0 to D)",
                PlotMetric.GradientShare => $"sweep {sweep} has no gradient share of layer {layer ?? 0} at an epoch for every seed (the spec's " +
                                            "diagnostics: { cosineEvery: N } samples it; sweeps trained by builds before it have none; a model of depth D has layers 0 to D)",
                _ => $"sweep {sweep}{(label is null ? "" : $" (or {label})")} has no epoch evaluated for every seed to plot yet",
            });
        }
        curves = [.. curves.Select(c => CurveSmoothing.Of(c, smooth))];
        var (methods, _, lrs) = CurvePlot.PanelGrid(curves);
        if (label is null && lrs.Count > CurvePalette.Colors.Length)   // coloured by learning rate: past the palette, along one scale
            Output.Info($"note: {lrs.Count} learning rates, more than the palette's {CurvePalette.Colors.Length} colours: coloured along one scale " +
                        $"instead, dark (lr={ResultsTable.Lr(lrs[0])}) to light (lr={ResultsTable.Lr(lrs[^1])}), so neighbouring rates look alike");
        int height = parse.GetValue(_height) ?? PlotLayout.DefaultHeight(methods.Count);
        CheckSize(width, height);
        var title = (label is null
            ? CurveTitles.Grid(sweep, metric, layer)
            : CurveTitles.Against(sweep, label, metric, layer))
            + (smooth > 1 ? $", each point the mean of the last {smooth}" : "");
        var image = CurvePlot.Render(format, title, curves, metric, width, height, label is null ? null : [sweep, label]);
        WriteImage(path, incomplete, format, image, $"{width}×{height}, {Units.Count(curves.Count, "curve")}");
        return Math.Max(exit, UnreadableCurves.Report(cells, label is null ? null : sweep));
    }

    /// <summary><c>--rates</c>: scores against learning rate, a panel per optimizer (scores are whole only once a rate's
    /// cells completed, so no cell is left out of it as an unreadable curve is).</summary>
    private async Task<int> PlotRatesAsync(ISweepSource source, string sweep, PlotMetric metric, int width, int? height, string path,
        PlotFormat format, Func<string, string, bool> shown, ParseResult parse, CancellationToken ct)
    {
        var spec = await source.GetSpecAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        var rule = _selection.Resolve(parse, spec.SelectionOrDefault, spec);
        var series = (await RatesPlotData.ReadAsync(source, sweep, metric, rule, ct)).Where(s => shown(s.Method, s.Optimizer)).ToList();
        int h = height ?? PlotLayout.DefaultHeight(1, PlotLayout.RatesRowHeight);
        var image = RatesPlot.Render(format, RatesPlotData.Title(sweep, rule, metric), series, width, h);
        WriteImage(path, incomplete: false, format, image, $"{width}×{h}, {Units.Count(series.Count, "line")}");
        return ExitCodes.Success;
    }

    /// <summary><c>--time</c>: each row's best-rate curve against its cells' training time, a panel per optimizer.</summary>
    private async Task<int> PlotTimeAsync(ISweepSource source, string sweep, PlotMetric metric, int width, int? height, string path,
        PlotFormat format, Func<string, string, bool> shown, ParseResult parse, CancellationToken ct)
    {
        var spec = await source.GetSpecAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        var rule = _selection.Resolve(parse, spec.SelectionOrDefault, spec);
        var results = await source.GetResultsAsync(sweep, rule, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        var status = await source.GetStatusAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        var cells = await source.GetCurvesAsync(sweep, ct);
        var series = TimeSeries.Of(status, results, cells, RatesPlotData.Accuracies(metric))
            .Where(s => shown(s.Method, s.Optimizer)).ToList();
        if (series.All(s => s.Points.Count == 0))
        {
            UnreadableCurves.Report(cells);
            throw new UsageException($"sweep {sweep} has no best learning rate with an epoch evaluated for every seed to plot yet " +
                                     $"({BestLrCurves.WhyNone(results)})");
        }
        int h = height ?? PlotLayout.DefaultHeight(1, PlotLayout.RatesRowHeight);
        var image = TimePlot.Render(format, TimePlot.Title(sweep, metric, rule), series, width, h);
        WriteImage(path, UnreadableCurves.Any(cells), format, image, $"{width}×{h}, {Units.Count(series.Count, "line")}");
        return UnreadableCurves.Report(cells);
    }

    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/>, or beside it where the plot leaves cells out (an
    /// earlier whole plot is kept), and says where on stderr, like export --out: stdout is for data.</summary>
    /// <param name="drawn">"1600×484, 18 lines": the size and what was drawn.</param>
    private static void WriteImage(string path, bool incomplete, PlotFormat format, byte[] image, string drawn)
    {
        var destination = incomplete ? OutFile.ForIncomplete(path) : path;
        OutFile.Write(destination, stream => stream.Write(image));
        Output.Info($"wrote {(destination == OutFile.Stdout ? $"the {format.Name()} to stdout" : destination)} ({drawn})");
        if (destination != path) Output.Info($"{path} is kept as it was: this plot leaves cells out (below)");
    }

    /// <summary>The image format: a file's name says what it holds (and <c>--format</c>, where given, must agree); stdout, a
    /// FIFO or a device has the name it has, and gets <c>--format</c> or PNG.</summary>
    private static PlotFormat Format(string path, string? asked)
    {
        PlotFormat? given = asked is null ? null
            : PlotImage.Named(asked) ?? throw new UsageException($"--format: expected png, svg or pdf, got '{asked}'");
        if (!OutFile.NamesFile(path)) return given ?? PlotFormat.Png;
        var named = PlotImage.Named(PlotImage.Extension(path))
            ?? throw new UsageException($"--out: expected a .png, .svg or .pdf file, got '{path}'");
        if (given is { } format && format != named)
            throw new UsageException($"--format {asked} and --out '{path}' disagree: name the file .{asked}, or leave --format out");
        return named;
    }

    /// <summary>The end of a no-data message: with a layer asked for, which layers there are.</summary>
    private static string LayersHint(int? layer) => layer is null ? ")" : "; a model of depth D has layers 0 to D)";

    /// <summary>The figure sizes a plot (or a report's figures) may have, as usage errors.</summary>
    internal static void CheckSize(int width, int? height)
    {
        if (width is < 300 or > 10000) throw new UsageException($"--width must be from 300 to 10000 pixels, got {width}");
        if (height is < 200 or > 10000) throw new UsageException($"--height must be from 200 to 10000 pixels, got {height}");
    }

    /// <summary>A sweep's curves averaged over its seeds, and the cells they came from (for the unreadable-curve report).</summary>
    private static async Task<(IReadOnlyList<PlotCurve> Curves, IReadOnlyList<CellCurve> Cells)> CurvesAsync(ISweepSource source, string sweep,
        PlotMetric metric, int? layer, CancellationToken ct)
    {
        var cells = await source.GetCurvesAsync(sweep, ct);
        return (PlotCurve.FromCells(sweep, cells, metric, layer), cells);
    }
}
