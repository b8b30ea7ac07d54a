using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>
/// When a changed spec may extend a sweep instead of being refused: it adds values to the grid's axes (a learning rate
/// past the edge a winner sits on, another seed, a method) and changes nothing any stored cell trained with, so every
/// stored cell keeps its id, curve and checkpoint. <c>maxCells</c> may change too: it only bounds the grid. So may
/// <c>epochs</c>, upwards: training does not depend on its length (the data order is a function of the epoch, the rates
/// are constant), so a completed cell trains on from its last checkpoint and its curve goes on as if it had been asked
/// for the longer run from the start. A row's own rate (<c>rowRates</c>) may move into <c>learningRates</c>: its row trains
/// it as before, and the other rows gain it.
/// </summary>
public static class SpecExtension
{
    private static readonly string[] Axes = ["methods", "optimizers", "learningRates", "seeds"];

    /// <summary>What keeps <paramref name="submitted"/> from extending <paramref name="stored"/>: empty when every difference
    /// is values added to an axis (or a new <c>maxCells</c>); otherwise one error per other difference.</summary>
    public static List<SpecError> Obstacles(SweepSpec stored, SweepSpec submitted)
    {
        var obstacles = new List<SpecError>();
        foreach (var difference in SpecCanonical.Differences(stored, submitted))
        {
            if (difference.Path == "maxCells") continue;
            if (difference.Path == "epochs")
            {
                if (submitted.Epochs < stored.Epochs)
                    obstacles.Add(new SpecError("epochs", $"{difference.Message}: an extension may raise epochs, not lower them " +
                                                          "(its cells have trained past the new end; read the results at an earlier epoch with --at instead)"));
                else if (ScheduleRules.Anneals(stored))
                    obstacles.Add(new SpecError("epochs", $"{difference.Message}: its cosine schedule anneals the rate over the stored epochs, " +
                                                          "so its cells could not train on as one longer run would have (submit the longer run under a new name)"));
                continue;
            }
            if (!IsAxis(difference.Path))
            {
                obstacles.Add(difference);
                continue;
            }
            var (before, after) = (Values(stored, difference.Path).ToList(), Values(submitted, difference.Path).ToList());
            // A row's own rate moved into learningRates still trains in that row, as the same cells: the row drops nothing.
            if (SpecCanonical.IsRowRatesField(difference.Path))
                before = before.Except(Values(submitted, "learningRates").Where(lr => !after.Contains(lr))).ToList();
            var missing = before.Except(after).ToList();
            if (missing.Count > 0)
                obstacles.Add(new SpecError(difference.Path, $"{difference.Message}: an extension keeps every stored value, and this drops {string.Join(", ", missing)}"));
            else if (before.ToHashSet() is var kept && !after.Where(kept.Contains).SequenceEqual(before))   // the order is part of the spec's canonical text
                obstacles.Add(new SpecError(difference.Path, $"{difference.Message}: an extension keeps the stored values in their order"));
        }
        return obstacles;
    }

    /// <summary>A grid axis, or one row's own learning rates (a row new to <c>rowRates</c> adds to nothing stored).</summary>
    private static bool IsAxis(string path) => Axes.Contains(path) || SpecCanonical.IsRowRatesField(path);

    /// <summary>The heading of the refusal of a spec that differs in more than added values.</summary>
    public static string CannotExtend(string sweep) =>
        $"sweep '{sweep}' cannot be extended by this spec: an extension adds values to methods, optimizers, learningRates, rowRates or seeds, "
        + "or raises epochs, and changes nothing else (choose a new name for other changes)";

    /// <summary>The heading of the refusal of a changed spec submitted without <c>--extend</c>, before its
    /// <paramref name="differences"/>; <paramref name="obstacles"/> as <see cref="Obstacles"/> gives them.</summary>
    /// <param name="addsCells">Whether the spec's grid holds cells the stored one does not (<see cref="AddsCells"/>).</param>
    public static string SubmitRefusal(string sweep, IReadOnlyList<SpecError> differences, IReadOnlyList<SpecError> obstacles, bool addsCells = true) =>
        obstacles.Count > 0
            ? $"sweep '{sweep}' already exists with a different spec (resubmit the same spec, choose a new name, or `gradguess delete {sweep}` first); differences"
            // A new maxCells alone adds no cell: saying "adds values" would send the user looking for one.
            : differences.All(d => d.Path == "maxCells")
                ? $"sweep '{sweep}' already exists, and this spec changes only its maxCells (pass --extend to store the new limit, or resubmit the stored maxCells); differences"
                : $"sweep '{sweep}' already exists, and this spec {Growth(differences, addsCells)}, or choose a new name); differences";

    /// <summary>What an extension's <paramref name="differences"/> grow, and what <c>--extend</c> then trains.</summary>
    private static string Growth(IReadOnlyList<SpecError> differences, bool addsCells)
    {
        var (raises, adds) = (differences.Any(d => d.Path == "epochs"), differences.Any(d => d.Path is not ("epochs" or "maxCells")));
        if (adds && !addsCells && !raises)   // rates every row holds, moved from rowRates into learningRates
            return "lists the same cells otherwise, with rates every row holds in learningRates (pass --extend to store it; no cell trains";
        return (raises, adds) switch
        {
            (true, true) => "adds values to its grid and raises its epochs (pass --extend to train the added cells, and the stored ones on to the new end, in this sweep",
            (true, false) => "raises its epochs (pass --extend to train its cells on to the new end in this sweep",
            _ => "adds values to its grid (pass --extend to train the added cells in this sweep",
        };
    }

    /// <summary>Whether <paramref name="submitted"/>'s grid holds a cell <paramref name="stored"/>'s does not.</summary>
    public static bool AddsCells(SweepSpec stored, SweepSpec submitted) => SpecPacks.Cells(submitted).Except(SpecPacks.Cells(stored)).Any();

    /// <summary>Whether the two specs hold the same cells and list their learning rates otherwise (a rate every row holds in
    /// <c>learningRates</c> in one, in each row's <c>rowRates</c> in the other): the coordinator keeps such a listing as a
    /// generation of its own, plan and compare say it is the same cells.</summary>
    public static bool Relists(SweepSpec a, SweepSpec b) =>
        SpecCanonical.Differences(a, b).Any(d => SpecCanonical.IsRateField(d.Path)) && SpecPacks.Cells(a).ToHashSet().SetEquals(SpecPacks.Cells(b));

    /// <summary>True when <paramref name="submitted"/> differs from <paramref name="stored"/> and extends it.</summary>
    public static bool Extends(SweepSpec stored, SweepSpec submitted) =>
        SpecCanonical.Differences(stored, submitted).Count > 0 && Obstacles(stored, submitted).Count == 0;

    /// <summary>An axis's values in canonical text (so 1e-3 and 0.001 are one learning rate).</summary>
    private static IEnumerable<string> Values(SweepSpec spec, string axis) => axis switch
    {
        "methods" => spec.Methods,
        "optimizers" => spec.Optimizers,
        "learningRates" => spec.LearningRates.Select(SpecCanonical.Text),
        "seeds" => spec.Seeds.Select(SpecCanonical.Text),
        _ when SpecCanonical.IsRowRatesField(axis) => spec.RowRatesOrEmpty
            .Where(r => SpecCanonical.RowRatesField(r.Method, r.Optimizer) == axis).SelectMany(r => r.LearningRates).Select(SpecCanonical.Text),
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "not a grid axis"),
    };
}
