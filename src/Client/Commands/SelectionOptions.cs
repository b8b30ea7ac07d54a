using System.CommandLine;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>--metric</c> and <c>--at</c> of the verbs that rank learning rates (results, compare): another selection
/// rule than a spec's, each half optional (an option left out keeps the spec's half).</summary>
internal sealed class SelectionOptions
{
    private readonly Option<string?> _metric;
    private readonly Option<string?> _at;

    public SelectionOptions(string metricDescription, string atDescription)
    {
        _metric = new Option<string?>("--metric") { Description = metricDescription };
        _at = new Option<string?>("--at") { Description = atDescription };
        _metric.AcceptOnlyFromAmong([.. SelectionNames.Metrics]);
        _at.AcceptOnlyFromAmong([.. SelectionNames.Points]);
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_metric);
        command.Options.Add(_at);
    }

    /// <summary>Whether either option was given.</summary>
    public bool Given(ParseResult parse) => parse.GetValue(_metric) is not null || parse.GetValue(_at) is not null;

    /// <summary><paramref name="specRule"/> with the halves the options give replaced.</summary>
    public SelectionSpec Resolve(ParseResult parse, SelectionSpec specRule) => new(
        parse.GetValue(_metric) is { } metric ? SelectionNames.Metric(metric) : specRule.Metric,
        parse.GetValue(_at) is { } at ? SelectionNames.Point(at) : specRule.At);
}
