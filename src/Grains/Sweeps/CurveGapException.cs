namespace GradGuessCluster.Grains.Sweeps;

/// <summary>Records that would leave a gap in a stored curve: nothing is stored, and the reporting pack keeps them and
/// reports them again (beside its checkpoint if need be), so nothing it was told is stored is missing.</summary>
[GenerateSerializer, Alias("gg.CurveGapException")]
public sealed class CurveGapException(string sweep, string cellId, int epoch, int lastEpoch)
    : Exception($"sweep {sweep}, cell {cellId}: a record of epoch {epoch} would leave a gap; the curve is stored up to epoch {lastEpoch}");
