using System.Globalization;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// <c>results --latex</c>: the results as a paper's table, shaped as the study's: a row per method, a group of columns per
/// optimizer (best learning rate, train and test accuracy in per cent), booktabs rules. A tabular only, so that it goes
/// into the author's own table environment and caption; what a caption needs (the rule, the seeds, a winner at the
/// grid's edge, rows without a pick) is said in LaTeX comments above and below it.
/// </summary>
internal static class ResultsLatex
{
    public static IEnumerable<string> Lines(SweepResults results)
    {
        var methods = results.Rows.Select(r => r.Method).Distinct().ToList();
        var optimizers = results.Rows.Select(r => r.Optimizer).Distinct().ToList();
        var rows = results.Rows.ToDictionary(r => (r.Method, r.Optimizer));

        yield return $"% {ResultsTable.Title(results, ResultsTable.HasSpread(results))}";
        yield return "% written by `gradguess results --latex`; needs \\usepackage{booktabs}";
        yield return $"\\begin{{tabular}}{{l{string.Concat(optimizers.Select(_ => "rrr"))}}}";
        yield return "\\toprule";
        yield return " & " + string.Join(" & ", optimizers.Select(o => $"\\multicolumn{{3}}{{c}}{{{OptimizerName(o)}}}")) + " \\\\";
        yield return string.Join(" ", optimizers.Select((_, i) => $"\\cmidrule(lr){{{2 + 3 * i}-{4 + 3 * i}}}"));
        yield return "Method & " + string.Join(" & ", optimizers.Select(_ => "LR & Train & Test")) + " \\\\";
        yield return "\\midrule";
        foreach (var method in methods)
            yield return MethodName(method) + " & " + string.Join(" & ", optimizers.Select(o => Cells(rows.GetValueOrDefault((method, o))))) + " \\\\";
        yield return "\\bottomrule";
        yield return "\\end{tabular}";
        if (results.Rows.Any(r => r.AtGridEdge))
            yield return "% $^*$: the best learning rate is at the edge of the grid, so the optimum may lie outside it";
        foreach (var row in results.Rows.Where(r => r.BestLearningRate is null || r.TrainAccuracy is null))
            yield return $"% {row.Method} × {row.Optimizer}: {row.Note ?? "no pick yet"}";
    }

    /// <summary>A row's three cells: "$10^{-3}$ &amp; 91.2 &amp; 88.0", or dashes where it has no pick.</summary>
    private static string Cells(ResultRow? row) =>
        row?.BestLearningRate is not { } lr || row.TrainAccuracy is not { } train
            ? "-- & -- & --"
            : $"{Rate(lr)}{(row.AtGridEdge ? "$^*$" : "")} & {Percent(train, row.TrainAccuracyStd)} & {(row.TestAccuracy is { } test ? Percent(test, row.TestAccuracyStd) : "--")}";

    /// <summary>"$10^{-3}$", "$3\times10^{-3}$", as a paper writes a learning rate.</summary>
    internal static string Rate(double lr)
    {
        var text = LearningRateText.Of(lr);
        int e = text.IndexOf('e', StringComparison.Ordinal);
        var (mantissa, exponent) = (text[..e], int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture));
        var power = exponent == 0 ? "" : $"10^{{{exponent.ToString(CultureInfo.InvariantCulture)}}}";
        return mantissa == "1" && power.Length > 0 ? $"${power}$" : power.Length == 0 ? $"${mantissa}$" : $"${mantissa}\\times{power}$";
    }

    /// <summary>An accuracy in per cent with one decimal, and its spread over seeds where there is one.</summary>
    private static string Percent(double accuracy, double? std) =>
        std is { } s ? $"${(100 * accuracy).ToString("F1", CultureInfo.InvariantCulture)} \\pm {(100 * s).ToString("F1", CultureInfo.InvariantCulture)}$"
            : (100 * accuracy).ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>The study's names for the methods; another name as it is, its LaTeX specials escaped.</summary>
    internal static string MethodName(string method) => method switch
    {
        "backprop" => "Backprop",
        "directional" => "Directional descent",
        "activation-perturbation" => "Activation perturbation",
        "activation-mixing" => "Activation mixing",
        "wt" => "$W^T$",
        "downstream" => "1-layer downstream",
        "matched-noise" => "Matched noise",
        _ when SpecNames.MatchedNoiseCosine(method) is { } cosine => $"Matched noise ($\\cos = {cosine.ToString(CultureInfo.InvariantCulture)}$)",
        _ => Escape(method),
    };

    internal static string OptimizerName(string optimizer) => optimizer switch
    {
        "sgd" => "SGD",
        "adamw" => "AdamW",
        "stable-adamw" => "StableAdamW",
        _ => Escape(optimizer),
    };

    private static string Escape(string text) => string.Concat(text.Select(c => c switch
    {
        '\\' => "\\textbackslash{}",
        '&' or '%' or '$' or '#' or '_' or '{' or '}' => "\\" + c,
        '~' => "\\textasciitilde{}",
        '^' => "\\textasciicircum{}",
        _ => c.ToString(),
    }));
}
