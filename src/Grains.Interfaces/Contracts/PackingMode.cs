namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>How cells are grouped into packs that train in one pass (SPEC §3 "cell packs").</summary>
public enum PackingMode
{
    /// <summary>One cell per pack.</summary>
    None,

    /// <summary>Cells that differ only in learning rate share a pack.</summary>
    Lr,
}
