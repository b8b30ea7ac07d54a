using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Cluster;

/// <summary>Several sweeps' statuses at once, for the views that list them (<c>status</c>, <c>slots</c>).</summary>
internal static class SweepStatuses
{
    /// <summary>Each sweep's status, asked all at once (a coordinator answers from memory, or activates and reads its
    /// ledger), in the order given. One that cannot answer (an unreadable ledger, say) is null, and stderr says so:
    /// "sweep NAME: <paramref name="unanswered"/>: why"; the rest are still worth showing.</summary>
    public static Task<SweepStatus?[]> AskAsync(ISweepSource source, IEnumerable<string> sweeps, string unanswered, CancellationToken ct) =>
        Task.WhenAll(sweeps.Select(async sweep =>
        {
            try
            {
                return await source.GetStatusAsync(sweep, ct);
            }
            // Not the user's Ctrl-C: a cancellation from the cluster (a gateway that died) is one sweep's failure.
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                Output.Info($"sweep {sweep}: {unanswered}: {Failures.Describe(e)}");
                return null;
            }
        }));
}
