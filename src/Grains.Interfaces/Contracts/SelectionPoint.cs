namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>Which point of a curve the selection rule reads (spec names <c>final</c>, <c>best</c>).</summary>
public enum SelectionPoint
{
    /// <summary>The last evaluated epoch.</summary>
    Final,

    /// <summary>The best evaluated epoch.</summary>
    Best,

    /// <summary>The last evaluated epoch at or before <see cref="SelectionSpec.Epoch"/>: each curve as if the sweep had
    /// stopped there (<c>results --at N</c>; a spec selects at <c>final</c> or <c>best</c>).</summary>
    Epoch,
}
