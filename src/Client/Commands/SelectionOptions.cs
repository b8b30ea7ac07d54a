using System.CommandLine;
using System.Globalization;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>--metric</c>, <c>--at</c> and <c>--window</c> of the verbs that rank learning rates (results, compare):
/// another selection rule than a spec's, each part optional (an option left out keeps the spec's part). <c>--at</c> also
/// takes an epoch, which a spec does not: the ranking the sweep would have had, had it stopped there.</summary>
internal sealed class SelectionOptions
{
    private readonly Option<string?> _metric;
    private readonly Option<string?> _at;
    private readonly Option<int?> _window;
    private readonly bool _withMetric;

    /// <param name="metricDescription">Null for a verb whose own <c>--metric</c> says which accuracy (plot): then
    /// <c>--at</c> and <c>--window</c> alone.</param>
    public SelectionOptions(string? metricDescription, string atDescription)
    {
        _withMetric = metricDescription is not null;
        _metric = new Option<string?>("--metric") { Description = metricDescription };
        _at = new Option<string?>("--at") { HelpName = "at", Description = atDescription + ": final, best, or an epoch N (each curve's last evaluation at or before N)" };
        _window = new Option<int?>("--window")
        {
            Description = "Average each curve's accuracies over its last N evaluations up to the point read (final or an epoch), " +
                          "or with --at best over the N consecutive evaluations whose mean is best, so one lucky or unlucky evaluation " +
                          "does not pick the learning rate; 1 reads single evaluations",
            HelpName = "N",
        };
        _metric.AcceptOnlyFromAmong([.. SelectionNames.Metrics]);
        _at.Validators.Add(r =>
        {
            var token = r.Tokens.Count > 0 ? r.Tokens[0].Value : null;
            if (token is not null && !SelectionNames.Points.Contains(token) && Epoch(token) is null)
                r.AddError($"--at must be final, best or an epoch (a whole number from 1), got '{token}'");
        });
    }

    public void AddTo(Command command)
    {
        _at.CompletionSources.Add([.. SelectionNames.Points]);
        if (_withMetric) command.Options.Add(_metric);
        command.Options.Add(_at);
        command.Options.Add(_window);
    }

    /// <summary>Whether any of the options was given.</summary>
    public bool Given(ParseResult parse) =>
        parse.GetValue(_metric) is not null || parse.GetValue(_at) is not null || parse.GetValue(_window) is not null;

    /// <summary>The spec's rule with the parts the options give replaced; an epoch and a window are checked against
    /// <paramref name="specs"/>, every sweep the rule ranks, each of which must have evaluated by then (as often).</summary>
    public SelectionSpec Resolve(ParseResult parse, SelectionSpec specRule, params SweepSpec[] specs)
    {
        var metric = parse.GetValue(_metric) is { } m ? SelectionNames.Metric(m) : specRule.Metric;
        var at = parse.GetValue(_at);
        var rule = at is null ? specRule with { Metric = metric }
            : Epoch(at) is { } epoch ? SelectionSpec.AtEpoch(metric, epoch) with { Window = specRule.Window }
            : new SelectionSpec(metric, SelectionNames.Point(at), Window: specRule.Window);
        // As given (0 too), so the check below words what is wrong with it; one evaluation is then stored as no window.
        if (parse.GetValue(_window) is { } window) rule = rule with { Window = window };
        if (rule.At == SelectionPoint.Epoch)
            foreach (var spec in specs) ReadAt($"--at {rule.Epoch}", spec, rule.Epoch!.Value);
        foreach (var spec in specs)
            if (rule.Window is { } w && SelectionWindow.Problem(spec, rule.At, rule.Epoch, w) is { } wrong)
                throw new UsageException($"--window {w}: {wrong}" + (specs.Length > 1 ? $" (sweep '{spec.Name}')" : ""));
        return rule.WithWindow(rule.Evaluations);
    }

    /// <summary>The evaluated epoch a curve is read at for <paramref name="epoch"/>: an epoch past the sweep's last, or before
    /// its first evaluation, reads nothing and is refused, naming the range; one between evaluations is read at the
    /// evaluation before it, which is said. Messages open with <paramref name="what"/> ("--at 7").</summary>
    internal static int ReadAt(string what, SweepSpec spec, int epoch)
    {
        if (epoch > spec.Epochs) throw new UsageException($"{what}: sweep '{spec.Name}' trains {Units.Count(spec.Epochs, "epoch")}");
        var first = Math.Min(spec.EvaluateEvery, spec.Epochs);
        if (epoch < first) throw new UsageException($"{what}: sweep '{spec.Name}' first evaluates at epoch {first}");
        var read = epoch == spec.Epochs ? epoch : epoch / spec.EvaluateEvery * spec.EvaluateEvery;
        if (read != epoch)
            Output.Info($"{what}: sweep '{spec.Name}' evaluates every {spec.EvaluateEvery} epochs; its curves are read at epoch {read}");
        return read;
    }

    private static int? Epoch(string token) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : null;
}
