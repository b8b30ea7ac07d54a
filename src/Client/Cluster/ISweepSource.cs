using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Cluster;

/// <summary>Where the read-only verbs (status, results, export, plot) get a sweep from: a running cluster, or a local
/// state directory read offline.</summary>
internal interface ISweepSource : IAsyncDisposable
{
    /// <summary>True for a local state directory that no <c>local</c> or silo holds: its running sweeps are paused.</summary>
    bool Paused { get; }

    /// <summary>Every sweep known there.</summary>
    Task<IReadOnlyList<SweepSummary>> ListAsync(CancellationToken cancellationToken);

    Task<SweepStatus?> GetStatusAsync(string sweep, CancellationToken cancellationToken);

    /// <summary>The spec the sweep was submitted with.</summary>
    Task<SweepSpec?> GetSpecAsync(string sweep, CancellationToken cancellationToken);

    /// <summary>The results table under <paramref name="selection"/>, or the spec's rule when null.</summary>
    Task<SweepResults?> GetResultsAsync(string sweep, SelectionSpec? selection, CancellationToken cancellationToken);

    /// <summary>Every cell's curve, in grid order.</summary>
    Task<IReadOnlyList<CellCurve>> GetCurvesAsync(string sweep, CancellationToken cancellationToken);
}
