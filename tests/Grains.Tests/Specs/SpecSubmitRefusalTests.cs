using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>What a changed spec submitted without --extend is told.</summary>
public sealed class SpecSubmitRefusalTests
{
    private static readonly SweepSpec Stored = TestSpecs.Small("ref", [0.1, 0.01]);

    private static string Heading(SweepSpec submitted, SweepSpec? stored = null)
    {
        stored ??= Stored;
        return SpecExtension.SubmitRefusal("ref", SpecCanonical.Differences(stored, submitted), SpecExtension.Obstacles(stored, submitted),
            SpecExtension.AddsCells(stored, submitted));
    }

    [Fact]
    public void OnlyANewMaxCells_IsNotCalledAddedValues_OtherChangesKeepTheirHeadings()
    {
        var heading = Heading(Stored with { MaxCells = Stored.MaxCells * 2 });

        Assert.DoesNotContain("adds values", heading, StringComparison.Ordinal);
        Assert.StartsWith("sweep 'ref' already exists, and this spec changes only its maxCells (pass --extend", heading, StringComparison.Ordinal);
        Assert.Contains("adds values to its grid", Heading(Stored with { Seeds = [0, 1] }), StringComparison.Ordinal);
        Assert.Contains("adds values to its grid", Heading(Stored with { Seeds = [0, 1], MaxCells = Stored.MaxCells * 2 }), StringComparison.Ordinal);
        Assert.Contains("already exists with a different spec", Heading(Stored with { BatchSize = 64, MaxCells = Stored.MaxCells * 2 }), StringComparison.Ordinal);
        Assert.Contains("already exists with a different spec", Heading(Stored with { Epochs = Stored.Epochs - 1 }), StringComparison.Ordinal);
        Assert.Contains("this spec raises its epochs (pass --extend to train its cells on to the new end",
            Heading(Stored with { Epochs = Stored.Epochs + 5, MaxCells = Stored.MaxCells * 2 }), StringComparison.Ordinal);
        Assert.Contains("adds values to its grid and raises its epochs (pass --extend to train the added cells, and the stored ones on",
            Heading(Stored with { Epochs = Stored.Epochs + 5, Seeds = [0, 1] }), StringComparison.Ordinal);
    }

    [Fact]
    public void RatesEveryRowHolds_MovedIntoLearningRates_AreNoAddedCells()
    {
        var rows = Stored with { RowRates = [new RowLearningRates("backprop", "sgd", [0.001])] };   // its only row
        var moved = Stored with { LearningRates = [0.1, 0.01, 0.001] };
        Assert.False(SpecExtension.AddsCells(rows, moved));
        Assert.Contains("this spec lists the same cells otherwise, with rates every row holds in learningRates (pass --extend to store it; no cell trains",
            Heading(moved, rows), StringComparison.Ordinal);
        Assert.True(SpecExtension.AddsCells(rows, moved with { LearningRates = [0.1, 0.01, 0.001, 0.0001] }));
        Assert.Contains("adds values to its grid", Heading(moved with { LearningRates = [0.1, 0.01, 0.001, 0.0001] }, rows), StringComparison.Ordinal);
    }
}
