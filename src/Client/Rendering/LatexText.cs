using System.Globalization;
using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Rendering;

/// <summary>How the LaTeX tables (results, rates, budget, compare) write their cells: learning rates and accuracies as a paper
/// writes them, the study's names for methods and optimizers.</summary>
internal static class LatexText
{
    /// <summary>The comment line under a table's heading: what wrote it, and the package it needs.</summary>
    public static string WrittenBy(string command) => $"% written by `gradguess {command}`; needs \\usepackage{{booktabs}}";

    /// <summary>"$10^{-3}$", "$3\times10^{-3}$", as a paper writes a learning rate.</summary>
    public static string Rate(double lr) => $"${RateMath(lr)}$";

    /// <summary>The same in bold (a rate a table marks).</summary>
    public static string BoldRate(double lr) => $"$\\mathbf{{{RateMath(lr)}}}$";

    /// <summary>A rate as math-mode content: "10^{-3}", "3\times10^{-3}".</summary>
    private static string RateMath(double lr)
    {
        var text = LearningRateText.Of(lr);
        int e = text.IndexOf('e', StringComparison.Ordinal);
        var (mantissa, exponent) = (text[..e], int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture));
        var power = exponent == 0 ? "" : $"10^{{{exponent.ToString(CultureInfo.InvariantCulture)}}}";
        return mantissa == "1" && power.Length > 0 ? power : power.Length == 0 ? mantissa : $"{mantissa}\\times{power}";
    }

    /// <summary>An accuracy in per cent with one decimal, and its spread over seeds where there is one (then in math mode).</summary>
    public static string Percent(double accuracy, double? std = null) => std is null ? InPercent(accuracy) : $"${PercentMath(accuracy, std)}$";

    /// <summary>The same as math-mode content: "91.2", "91.2 \pm 0.5".</summary>
    public static string PercentMath(double accuracy, double? std) => InPercent(accuracy) + (std is { } s ? $" \\pm {InPercent(s)}" : "");

    /// <summary>One learning rate's score: "$91.2$" (with <paramref name="spread"/> "$91.2 \pm 0.5$"), bold where
    /// <paramref name="chosen"/>; why it has none in words (\emph{diverged}, \emph{diverged 1/2} where some of its seeds
    /// completed); a dash for a rate the row does not train.</summary>
    public static string Score(RateScore? rate, bool chosen, bool spread = true)
    {
        if (rate is null) return "--";
        if (rate.Outcome != RateOutcome.Scored || rate.Score is not { } value) return $"\\emph{{{RatesTable.Outcome(rate)}}}";
        var text = PercentMath(value, spread ? rate.ScoreStd : null);
        return chosen ? $"$\\mathbf{{{text}}}$" : $"${text}$";
    }

    /// <summary>"$+1.2$", "$-0.4$": a change in points with its sign (a minus sign, not a hyphen).</summary>
    public static string Points(double? delta) =>
        delta is { } d ? $"${(100 * d).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)}$" : "--";

    /// <summary>The comment lines on how two compared sweeps' specs differ, for the caption.</summary>
    public static IEnumerable<string> SpecComments(SweepComparison c) =>
        c.Differences.Select(d => $"% {d.Field}: A {d.Shown(d.A)}, B {d.Shown(d.B)}")
            .Concat(c.Relisted ? ["% learningRates and rowRates: the same cells, listed otherwise"] : []);

    private static string InPercent(double fraction) => (100 * fraction).ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>Each row's method cell: its name on the first of its rows only, as a paper groups a method's optimizers.</summary>
    public static IEnumerable<string> GroupedMethodNames(IEnumerable<string> methods)
    {
        string? previous = null;
        foreach (var method in methods)
        {
            yield return method == previous ? "" : MethodName(method);
            previous = method;
        }
    }

    /// <summary>The study's names for the methods; another name as it is, its LaTeX specials escaped.</summary>
    public static string MethodName(string method) => method switch
    {
        "backprop" => "Backprop",
        "directional" => "Directional descent",
        "activation-perturbation" => "Activation perturbation",
        "masked-perturbation" => "Masked perturbation",
        "activation-mixing" => "Activation mixing",
        "wt" => "$W^T$",
        "downstream" => "1-layer downstream",
        "matched-noise" => "Matched noise",
        _ when SpecNames.MatchedNoiseCosine(method) is { } cosine => $"Matched noise ($\\cos = {cosine.ToString(CultureInfo.InvariantCulture)}$)",
        _ => Escape(method),
    };

    public static string OptimizerName(string optimizer) => optimizer switch
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
