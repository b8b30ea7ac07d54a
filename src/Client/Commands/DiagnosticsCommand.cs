using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Summaries;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess diagnostics SWEEP [--window N] [--json|--markdown]</c>: a row per cell with its end, its cosine
/// with the true gradient early and late (the mean, the rms and the optimizer's step's), and its weights' effective ranks
/// early and late (partial while the sweep runs). Reads the stored curves, trains nothing.</summary>
internal sealed class DiagnosticsCommand : Command
{
    private readonly Argument<string> _sweep = SweepArgument.Required();
    private readonly SweepSourceOptions _source = new(allowOffline: true);
    private readonly Option<int?> _window = new("--window")
    {
        Description = "Epochs the cosines are averaged over, at the start and at the end of each cell (default: a tenth of the spec's epochs)",
    };
    private readonly Option<bool> _layers = new("--layers")
    {
        Description = "A row per linear layer of each cell: the guess's and the step's cosine inside it, its shares of the true gradient and of the step (--json has them always)",
    };
    private readonly TableFormatOptions _format = new("The table as Markdown on stdout (for notes and reports)");

    public DiagnosticsCommand() : base("diagnostics",
        "Per cell: final accuracies, the cosines with the true gradient (the guess's mean and rms, the optimizer's step's) early and late, and the weights' effective ranks")
    {
        Arguments.Add(_sweep);
        _source.AddTo(this);
        Options.Add(_window);
        Options.Add(_layers);
        _format.AddTo(this);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var sweep = parse.GetValue(_sweep)!;
        var format = _format.Read(parse);
        var asked = parse.GetValue(_window);
        if (asked is < 1) throw new UsageException($"--window: expected at least 1 epoch, got {asked}");
        await using var source = await _source.OpenAsync(parse, ct);
        var spec = await source.GetSpecAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        int window = asked ?? CellSummary.DefaultWindow(spec.Epochs);
        var curves = await source.GetCurvesAsync(sweep, ct);
        var cells = curves.Where(c => c.Unreadable is null).Select(c => CellSummary.From(c, window)).ToList();
        if (spec.DiagnosticsOrDefault is { CosineEvery: 0, EffectiveRank: false })
            Output.Info($"{sweep}'s spec samples no cosine and computes no effective rank (diagnostics: {{ cosineEvery: N, " +
                        "effectiveRank: true }): its rows have accuracies only");
        bool layers = parse.GetValue(_layers);
        if (layers && spec.DiagnosticsOrDefault.CosineEvery > 0 && cells.All(c => c.Layers.Count == 0))
            Output.Info($"{sweep}'s cells hold no per-layer figures yet: none has reached a sampled step");
        else if (layers && spec.DiagnosticsOrDefault is { CosineEvery: 0, EffectiveRank: true })
            Output.Info($"{sweep}'s spec samples no cosine (diagnostics: {{ cosineEvery: N }}): no per-layer figures");
        if (format == TableFormat.Json) JsonOutput.Write(new { sweep, cells });
        else if (format == TableFormat.Markdown)
        {
            Output.Info(layers ? LayerSummaryTable.Title(sweep, window) : CellSummaryTable.Title(sweep, window));
            foreach (var line in layers ? LayerSummaryTable.MarkdownLines(cells) : CellSummaryTable.MarkdownLines(cells)) Output.Line(line);
        }
        else if (layers) LayerSummaryTable.Render(sweep, cells, window);
        else CellSummaryTable.Render(sweep, cells, window);
        return UnreadableCurves.Report(curves);
    }
}
