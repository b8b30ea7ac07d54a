using System.CommandLine;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>--method M</c> and <c>--optimizer O</c>, each repeatable: the rows (method × optimizer) a verb works on,
/// every one where neither is given. A name the sweep does not have is a usage error naming the sweep's own and the
/// nearest.</summary>
/// <param name="verb">How the descriptions begin: "Refine", "Plot".</param>
/// <param name="rows">What the verb makes of a row: "rows", "panels".</param>
internal sealed class RowFilterOptions(string verb, string rows)
{
    private readonly Option<string[]> _methods = new("--method")
    {
        Description = $"{verb} only this method's {rows} (repeat for more; default: every method)", HelpName = "METHOD",
    };
    private readonly Option<string[]> _optimizers = new("--optimizer")
    {
        Description = $"{verb} only this optimizer's {rows} (repeat for more; default: every optimizer)", HelpName = "OPTIMIZER",
    };

    public void AddTo(Command command)
    {
        // A sweep's own names are in its spec; these are every name a sweep may use (matched-noise@C aside).
        _methods.CompletionSources.Add([.. EstimatorNames.All]);
        _optimizers.CompletionSources.Add([.. OptimizerNames.All]);
        command.Options.Add(_methods);
        command.Options.Add(_optimizers);
    }

    /// <summary>The options as given, for a command line to suggest: " --method wt --optimizer adamw"; "" where neither is.
    /// (The names are a sweep's, which need no quoting.)</summary>
    public string Words(ParseResult parse) =>
        string.Concat((parse.GetValue(_methods) ?? []).Select(m => " --method " + m).Concat((parse.GetValue(_optimizers) ?? []).Select(o => " --optimizer " + o)));

    /// <summary>Whether either option was given.</summary>
    public bool Given(ParseResult parse) => parse.GetValue(_methods) is { Length: > 0 } || parse.GetValue(_optimizers) is { Length: > 0 };

    /// <summary>The rows asked for, as the methods and optimizers of <paramref name="spec"/> they keep.</summary>
    public (IReadOnlySet<string> Methods, IReadOnlySet<string> Optimizers) Resolve(ParseResult parse, SweepSpec spec) =>
        Resolve(parse, spec.Methods, spec.Optimizers, $"sweep '{spec.Name}'");

    /// <summary>The rows asked for among <paramref name="methods"/> × <paramref name="optimizers"/>, which
    /// <paramref name="where"/> names in an error ("sweeps 'a' and 'b'").</summary>
    public (IReadOnlySet<string> Methods, IReadOnlySet<string> Optimizers) Resolve(ParseResult parse, IReadOnlyList<string> methods,
        IReadOnlyList<string> optimizers, string where) =>
        (Chosen(parse, _methods, methods, "a method", where), Chosen(parse, _optimizers, optimizers, "an optimizer", where));

    private static IReadOnlySet<string> Chosen(ParseResult parse, Option<string[]> option, IReadOnlyList<string> axis, string what, string where)
    {
        var given = parse.GetValue(option) ?? [];
        if (given.Length == 0) return axis.ToHashSet();
        foreach (var name in given.Where(n => !axis.Contains(n)))
            throw new UsageException($"{option.Name}: '{name}' is not {what} of {where} ({string.Join(", ", axis)})" +
                                     (NearestName.Find(name, axis) is { } near ? $"; did you mean '{near}'?" : ""));
        return given.ToHashSet();
    }
}
