using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Rendering;

/// <summary>The cell lines a plain progress view prints for each status: a line per state a cell reaches, once. A pack
/// is running before its first report names its device, so a cell first seen running at epoch 0 without one waits for
/// the next status (which names it) rather than print "started" once bare and never again.</summary>
internal sealed class CellChanges
{
    private readonly Dictionary<string, CellState> _shown = [];

    public IReadOnlyList<string> Lines(SweepStatus status)
    {
        var lines = new List<string>();
        foreach (var c in status.Cells)
        {
            // Queued again (a preempted or resumed pack): its next start is news.
            if (c.State == CellState.Queued) _shown.Remove(c.CellId);
            else if (_shown.GetValueOrDefault(c.CellId, CellState.Queued) != c.State && !(c is { State: CellState.Running, Epoch: 0, Device: null }))
            {
                _shown[c.CellId] = c.State;
                lines.Add(ProgressView.CellLine(c));
            }
        }
        return lines;
    }
}
