using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Cluster;

/// <summary>Sweeps read from a running cluster through its coordinator and registry grains.</summary>
internal sealed class ClusterSweepSource(ClusterConnection connection) : ISweepSource
{
    /// <summary>Cells per curve request: keeps each reply small for long curves.</summary>
    public const int CurveBatch = 16;

    public IClusterClient Client => connection.Client;

    public ISweepCoordinatorGrain Coordinator(string sweep) => Client.GetGrain<ISweepCoordinatorGrain>(sweep);

    public Task<IReadOnlyList<SweepSummary>> ListAsync(CancellationToken cancellationToken) =>
        Client.GetGrain<ISweepRegistryGrain>(0).ListAsync();

    public Task<SweepStatus?> GetStatusAsync(string sweep, CancellationToken cancellationToken) => Coordinator(sweep).GetStatusAsync();

    public Task<SweepResults?> GetResultsAsync(string sweep, CancellationToken cancellationToken) => Coordinator(sweep).GetResultsAsync();

    public async Task<IReadOnlyList<CellCurve>> GetCurvesAsync(string sweep, CancellationToken cancellationToken)
    {
        var status = await GetStatusAsync(sweep, cancellationToken) ?? throw SweepNotFound(sweep);
        var curves = new List<CellCurve>(status.Cells.Count);
        foreach (var batch in status.Cells.Select(c => c.CellId).Chunk(CurveBatch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            curves.AddRange(await Coordinator(sweep).GetCurvesAsync(batch));
        }
        return curves;
    }

    public static UsageException SweepNotFound(string sweep) => new($"no sweep named '{sweep}'");

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
