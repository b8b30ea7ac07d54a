using System.Runtime.CompilerServices;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Storage;

namespace GradGuessCluster.Client.Cluster;

/// <summary>Follows a sweep by polling its coordinator until the sweep ends. Rides out a silo's death (calls fail or
/// time out until the cluster re-places the coordinator) for up to <c>giveUpAfter</c> of consecutive failures, reporting
/// each outage with a one-line reason when it starts and every <see cref="ReminderEvery"/> while it lasts (not on every
/// poll).</summary>
internal static class SweepPolling
{
    /// <summary>How often a continuing outage is mentioned again: a watch that went quiet reads as hung.</summary>
    public static readonly TimeSpan ReminderEvery = TimeSpan.FromSeconds(30);

    public static async IAsyncEnumerable<SweepStatus> FollowAsync(ISweepCoordinatorGrain coordinator, string sweep, TimeSpan interval,
        TimeSpan giveUpAfter, Action<string> onProblem, [EnumeratorCancellation] CancellationToken cancellationToken,
        TimeProvider? clock = null, string source = "the cluster")
    {
        clock ??= TimeProvider.System;
        DateTimeOffset? failingSince = null, said = null;
        var seen = false;
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
            // A damaged stored state is no outage: no wait mends it, and its message says the way out (exit 2).
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && Failures.Cause(e) is not StoredStateCorruptException)
            {
                var now = clock.GetUtcNow();
                if (failingSince is null)
                {
                    onProblem($"waiting for {source}: {Failures.Describe(e)}");
                    failingSince = said = now;
                }
                else if (now - said >= ReminderEvery)
                {
                    onProblem($"still waiting for {source} after {(now - failingSince.Value).TotalSeconds:0} s " +
                              $"(giving up after {giveUpAfter.TotalSeconds:0} s): {Failures.Describe(e)}");
                    said = now;
                }
                if (now - failingSince > giveUpAfter)
                    throw new ClusterUnavailableException($"lost {source} while watching {sweep}: {Failures.Describe(e)}", e);
            }
            if (status is not null)
            {
                seen = true;
                yield return status;
                if (status.IsFinished) yield break;
            }
            else if (failingSince is null)
                // Seen before, it was deleted meanwhile (another client's cancel and delete between two polls): not a name
                // the user got wrong (exit 2), but a watch that ended without the sweep's end.
                throw seen ? new SweepDeletedException($"sweep '{sweep}' was deleted while watched (by another client)")
                    : GrainSweepSource.SweepNotFound(sweep);
            await Task.Delay(interval, cancellationToken);
        }
    }
}

/// <summary>A followed sweep was deleted before it ended; exit 1.</summary>
internal sealed class SweepDeletedException(string message) : Exception(message);
