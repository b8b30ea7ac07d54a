using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Rendering;

/// <summary>The results rows that became final while a sweep is followed: every cell of the method × optimizer ended
/// (completed or diverged; a failed or cancelled one waits for a resume), so its pick holds until the sweep grows. Progress
/// says each once, with its pick (a line, or a line under the live table), rather than leave it to the table at the end of
/// a run of hours. Rows final at the first status seen are not news, and a finished sweep's are the table's that follows.</summary>
internal sealed class DecidedRows
{
    private HashSet<(string Method, string Optimizer)>? _decided;

    /// <summary>The rows final in <paramref name="status"/> and not in the statuses before it, in grid order.</summary>
    public IReadOnlyList<(string Method, string Optimizer)> Newly(SweepStatus status)
    {
        var final = status.Cells.GroupBy(c => (c.Config.Method, c.Config.Optimizer))
            .Where(row => row.All(c => c.State is CellState.Completed or CellState.Diverged))
            .Select(row => row.Key).ToList();
        if (_decided is null)
        {
            _decided = [.. final];
            return [];
        }
        var added = final.Where(_decided.Add).ToList();
        return status.IsFinished ? [] : added;
    }

    /// <summary>"  decided   wt adamw: 1e-3, train 75.65%, test 74.93%, 1.66 points ahead of 3e-4".</summary>
    public static string Line(ResultRow row)
    {
        var head = $"  decided   {row.Method} {row.Optimizer}: ";
        if (row.BestLearningRate is not { } lr) return head + (row.Note ?? "no learning rate to choose");
        var lead = (row.RunnerUpLearningRate, row.Lead) is ({ } next, { } by) ? $", {ResultsTable.InPoints(by)} points ahead of {ResultsTable.Lr(next)}" : "";
        return head + $"{ResultsTable.Lr(lr)}, train {ResultsTable.Percent(row.TrainAccuracy)}, test {ResultsTable.Percent(row.TestAccuracy)}{lead}";
    }
}
