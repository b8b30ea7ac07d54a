namespace GradGuessCluster.Grains.Cells;

/// <summary>A pack's checkpoint, or the epoch records kept beside it, could not be written: a full or failing volume, which
/// may recover. Not the cells' failure: the pack stops and is started again after a pause, from its last checkpoint.</summary>
internal sealed class CheckpointWriteException(string path, string silo, int epoch, Exception inner)
    : IOException($"cannot write its checkpoint {path} on {silo} after epoch {epoch}: {inner.Message}", inner);
