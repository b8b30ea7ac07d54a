using System.Globalization;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Training;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Client.Planning;

/// <summary><c>gradguess plan</c>'s text: one labelled line per aspect of the sweep, warnings on stderr.</summary>
internal static class PlanView
{
    public static void Render(SweepPlan plan)
    {
        foreach (var line in Lines(plan)) Output.Line(line);
        RenderWarnings(plan);
    }

    /// <summary>On stderr whatever stdout holds: a <c>--json</c> piped to a program still shows them to its user.</summary>
    public static void RenderWarnings(SweepPlan plan)
    {
        foreach (var warning in plan.Warnings) Output.Info("warning: " + warning);
    }

    public static IEnumerable<string> Lines(SweepPlan plan)
    {
        var (d, m, g, s, c) = (plan.Data, plan.Model, plan.Grid, plan.Schedule, plan.Cost);
        yield return $"sweep {plan.Name}";
        yield return Row("data", $"{d.Set}{(d.Directory is null ? "" : " in " + d.Directory)}{(d.Found ? "" : " (not readable here)")}: " +
                                 $"{N(d.Train)} training and {N(d.Test)} test examples, {N(d.Features)} features, {d.Classes} classes");
        yield return Row("model", $"ReLU MLP {N(m.Inputs)} → {m.Depth} × {N(m.Width)} → {m.Classes}, {N(m.ParametersPerCell)} parameters per cell" +
                                  (m.InitScale is { } k ? $", initialised at {k.ToString("R", CultureInfo.InvariantCulture)} × PyTorch's default" : "") +
                                  (m.Init is { } init ? $", starting from {init}" + (File.Exists(init) ? $" (digest {m.InitDigest})" : " (not readable here)") : ""));
        var product = $"{Count(g.Methods.Count, "method")} × {Count(g.Optimizers.Count, "optimizer")} × {Count(g.LearningRates.Count, "learning rate")}";
        var own = g.RowRates?.Sum(r => r.LearningRates.Count) ?? 0;
        yield return Row("grid", (own == 0 ? product : g.LearningRates.Count == 0 ? $"{Count(own, "rate")} of rowRates" : $"({product} + {Count(own, "rate")} of rowRates)") +
                                 $" × {Count(g.Seeds.Count, "seed")} = {Count(g.Cells, "cell")} " +
                                 $"in {Count(g.Packs, "pack")}{Sizes(g.PackSizes, $"packing: {g.Packing}")}");
        if (g.Extends is { } x) yield return Row("extension", Extension(x, s.Epochs));
        if (plan.Guesses is { } guesses) yield return Row("guesses", Guesses(guesses));
        yield return Row("training", $"{Count(s.Epochs, "epoch")} × {Count(s.StepsPerEpoch, "step")} of batch {N(s.BatchSize)} = " +
                                     $"{Count(s.StepsPerCell, "step")} per cell, {Count(s.CellEpochs, "cell-epoch")} in all" +
                                     (s.RateSchedule is { } rates ? $"; learning rate {rates}" : ""));
        yield return Row("evaluation", $"{Every(s.EvaluateEvery)}{(s.Epochs % s.EvaluateEvery == 0 ? "" : " and the last")}: " +
                                       $"{s.EvaluationsPerCell} per cell, on the whole training and test sets");
        yield return Row("diagnostics", (s.CosineEvery == 0 ? "cosine similarity off"
                                            : $"cosine similarity every {Count(s.CosineEvery, "step")} ({N(s.CosineSamplesPerCell)} per cell, one extra backward pass each)") +
                                        $"; effective rank {(s.EffectiveRank ? "at each evaluation" : "off")}");
        yield return Row("checkpoints", $"{Every(s.CheckpointEvery)} ({s.CheckpointsPerPack} per pack, each replacing the last); " +
                                        $"{Units.Bytes(c.CheckpointBytesPerPack)} per pack, {Units.Bytes(c.CheckpointBytes)} for the sweep");
        yield return Row("curves", $"about {Units.Bytes(c.CurveBytesPerCell)} per cell, {Units.Bytes(c.CurveBytes)} for the sweep in the grain " +
                                   "storage (with file storage, the state directory), kept with the results");
        yield return Row("memory", $"at least {Units.Bytes(c.TrainingBytesPerPack)} per training pack (weights, gradient" +
                                   (s.CosineEvery > 0 ? ", the true gradient for the cosine similarity" : "") +
                                   (PackWorkload.HoldsRollbackCopy(s.CheckpointEvery, s.Epochs) ? ", optimizer state and their copy for a stop mid-epoch to roll back to" : " and optimizer state") +
                                   "), beside its data and activations");
        // As the results table's title words it: a rule may itself say "best" (at: best), which "the best ..." doubled.
        yield return Row("selection", $"the best learning rate per method × optimizer by {s.Selection}");
        yield return Row("work", $"{Units.Flops(c.Flops)} of matmuls (training, evaluation, diagnostics); the evaluations " +
                                 $"{Share(c.EvaluationFlops, c.Flops)} of them" +
                                 (s.EvaluateEvery == 1 && s.Epochs >= 10 && c.EvaluationFlops > 0.2 * c.Flops
                                     ? $" (evaluateEvery: 5 would take about {Share(0.8 * c.EvaluationFlops, c.Flops)} off the work)" : ""));
        yield return Row("", "per cell-epoch: " + string.Join(", ", c.FlopsPerCellEpoch.Select(kv => $"{kv.Key} {Units.Flops(kv.Value)}")));
        yield return Row("time", c.Seconds is { } seconds
            ? $"{Duration(seconds)} on {Count(c.Slots, "slot")}, {c.Basis}"
            : "--measure times each pack configuration here; --gflops G assumes G GFLOP/s per slot (see `gradguess bench`)");
    }

    /// <summary>What an extension trains beside the stored sweep: "4 cells in 4 packs added to the stored 8 cells in 4 packs;
    /// ...", or with raised epochs "epochs 3 → 9: the stored 8 cells in 4 packs train 6 more epochs each (not those that
    /// diverged), and 4 cells in 4 packs are added; ...": then the per-cell lines are the spec's full run, the totals what trains.</summary>
    /// <summary>"28%": a part of a whole, in whole per cent.</summary>
    private static string Share(double part, double whole) =>
        (whole > 0 ? 100 * part / whole : 0).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "%";

    private static string Extension(PlanExtension x, int epochs)
    {
        var added = $"{Count(x.AddedCells, "cell")} in {Count(x.AddedPacks, "pack")}{Sizes(x.AddedPackSizes)}";
        if (x.EpochsBefore is not { } before)
            return $"{added} added to the stored {Count(x.StoredCells, "cell")} in {Count(x.StoredPacks, "pack")}; the lines below are the added cells'";
        return $"epochs {N(before)} → {N(epochs)}: the stored {(x.CompletedKnown ? "completed " : "")}{Count(x.LengthenedCells, "cell")} in " +
               $"{Count(x.LengthenedPacks, "pack")} {(x.LengthenedCells == 1 ? "trains" : "train")} {Count(epochs - before, "more epoch")} each" +
               (x.CompletedKnown ? "" : " (not those that diverged)") +
               (x.AddedCells == 0 ? "" : $", and {added} {(x.AddedCells == 1 ? "is" : "are")} added") +
               "; the per-cell lines below are the spec's, the totals what the extension trains";
    }

    /// <summary>"one per step; one tangent pass per layer; normalised per example for downstream, not for wt (each method's
    /// default)": what changes both a guessing cell's result and its cost, which the spec's estimator block may leave unsaid.</summary>
    private static string Guesses(PlanGuesses g)
    {
        var parts = new List<string> { g.PerStep == 1 ? "one per step" : $"{N(g.PerStep)} per step, averaged" };
        if (g.OnePass is { } onePass) parts.Add(onePass ? "all layers' in one tangent pass" : "one tangent pass per layer");
        if (g.Normalised.Count + g.NotNormalised.Count > 0)
        {
            string which = g.NotNormalised.Count == 0 ? "normalised per example"
                : g.Normalised.Count == 0 ? "not normalised"
                : $"normalised per example for {Units.Listed(g.Normalised)}, not for {Units.Listed(g.NotNormalised)}";
            parts.Add(which + (g.NormaliseSet ? " (estimator.normalise)" : " (each method's default)"));
        }
        return string.Join("; ", parts);
    }


    /// <summary>What follows "N packs": nothing for single cells, " of 4" when every pack holds as many, and for packs of
    /// several sizes their range and how many hold each, " of 1–3 cells (8 of 1, 8 of 3)"; <paramref name="note"/> in the
    /// parentheses.</summary>
    private static string Sizes(IReadOnlyList<PlanPackSize> sizes, string? note = null)
    {
        var notes = sizes.Count > 1 ? string.Join(", ", sizes.Select(s => $"{N(s.Packs)} of {N(s.Cells)}")) : null;
        if (note is not null) notes = notes is null ? note : $"{notes}; {note}";
        var of = sizes.Count > 1 ? $" of {N(sizes[0].Cells)}–{N(sizes[^1].Cells)} cells"
            : sizes is [{ Cells: > 1 } only] ? $" of {N(only.Cells)}" : "";
        return of + (notes is null ? "" : $" ({notes})");
    }

    /// <summary>As the live views say time left (a slow rate and a big grid give "more than 100 years"), but in seconds
    /// under a minute: a plan may be for a short sweep.</summary>
    private static string Duration(double seconds) =>
        seconds < 59.5 ? $"about {Math.Max(1, Math.Round(seconds)).ToString(CultureInfo.InvariantCulture)} s" : TimeLeft.Duration(seconds);

    private static string Row(string label, string text) => $"  {label,-12} {text}";

    private static string Every(int n) => n == 1 ? "every epoch" : $"every {N(n)} epochs";

    private static string Count(long n, string noun) => $"{N(n)} {noun}{(n == 1 ? "" : "s")}";

    /// <summary>"60,000", "2.5": thousands separated, one decimal where there is a fraction.</summary>
    public static string N(double value) => value.ToString(value == Math.Floor(value) ? "N0" : "N1", CultureInfo.InvariantCulture);
}
