namespace GradGuessCluster.Client.Plotting;

/// <summary>What a curve plot shows, in words, for its title (<c>plot</c>, and <c>report</c>'s figures).</summary>
internal static class CurveTitles
{
    /// <summary>"fmnist-quick: accuracy by method × optimizer and learning rate".</summary>
    public static string Grid(string sweep, PlotMetric metric, int? layer = null) =>
        $"{sweep}: {What(metric, layer)} by method × optimizer and learning rate";

    /// <summary>"A (A) against B (B): accuracy of each sweep's best learning rate by method × optimizer".</summary>
    public static string Against(string sweep, string label, PlotMetric metric, int? layer = null) =>
        $"{sweep} (A) against {label} (B): {What(metric, layer)} of each sweep's best learning rate by method × optimizer";

    /// <summary>"accuracy", "training loss", "cosine similarity with the true gradient in layer 2", ...</summary>
    public static string What(PlotMetric metric, int? layer) => metric switch
    {
        PlotMetric.Cosine => "cosine similarity with the true gradient" + InLayer(layer),
        PlotMetric.StepCosine => "cosine of the optimizer's step with the descent direction" + InLayer(layer),
        PlotMetric.Loss => "training loss",
        PlotMetric.Rank => $"effective rank of weight matrix {layer ?? 0}" + (layer is null or 0 ? " (input layer)" : ""),
        PlotMetric.GradientShare => $"layer {layer ?? 0}'s share of the true gradient" + (layer is null or 0 ? " (input layer)" : ""),
        _ => "accuracy",
    };

    /// <summary>" in layer 2" where one layer's cosine is drawn; nothing for the cosine over all parameters.</summary>
    public static string InLayer(int? layer) => layer switch
    {
        null => "",
        0 => " in layer 0 (input layer)",
        var l => $" in layer {l}",
    };
}
