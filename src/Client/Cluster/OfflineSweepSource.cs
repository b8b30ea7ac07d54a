using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Cluster;

/// <summary>Sweeps read from a local state directory without a running silo (<c>--state-dir</c>).</summary>
internal sealed class OfflineSweepSource : ISweepSource
{
    public static OfflineSweepSource Open(string stateDirectory) =>
        throw new UsageException($"--state-dir {stateDirectory}: reading a state directory offline is not available in this build yet");

    public Task<IReadOnlyList<SweepSummary>> ListAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<SweepStatus?> GetStatusAsync(string sweep, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<SweepResults?> GetResultsAsync(string sweep, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<CellCurve>> GetCurvesAsync(string sweep, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
