using System.Runtime.CompilerServices;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Cluster;

/// <summary>Follows a sweep by polling its coordinator until the sweep ends. Rides out a silo's death (calls fail or
/// time out until the cluster re-places the coordinator) for up to <c>giveUpAfter</c> of consecutive failures, reporting
/// each outage once (not on every poll) with a one-line reason.</summary>
internal static class SweepPolling
{
    public static async IAsyncEnumerable<SweepStatus> FollowAsync(ISweepCoordinatorGrain coordinator, string sweep, TimeSpan interval,
        TimeSpan giveUpAfter, Action<string> onProblem, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        DateTime? failingSince = null;
        while (true)
        {
            SweepStatus? status = null;
            try
            {
                status = await coordinator.GetStatusAsync().WaitAsync(cancellationToken);
                failingSince = null;
            }
            // Only our own token ends the watch: a call the cluster cancelled (a request pending on the gateway of a
            // silo that just died) is an outage like any other.
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                if (failingSince is null) onProblem($"waiting for the cluster: {Failures.Describe(e)}");
                failingSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - failingSince > giveUpAfter)
                    throw new ClusterUnavailableException($"lost the cluster while watching {sweep}: {Failures.Describe(e)}", e);
            }
            if (status is not null)
            {
                yield return status;
                if (status.IsFinished) yield break;
            }
            else if (failingSince is null)
                throw GrainSweepSource.SweepNotFound(sweep);
            await Task.Delay(interval, cancellationToken);
        }
    }
}
