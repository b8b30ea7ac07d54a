namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>Which point of a curve the selection rule reads (spec names <c>final</c>, <c>best</c>).</summary>
public enum SelectionPoint
{
    /// <summary>The last evaluated epoch.</summary>
    Final,

    /// <summary>The best evaluated epoch.</summary>
    Best,
}
