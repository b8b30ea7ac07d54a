using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Cluster;

/// <summary>Sweeps read through their coordinator and registry grains: of a running cluster (a client connection) or of
/// a local state directory (a read-only embedded silo). Disposing it disposes that connection or silo (none: a host that
/// outlives it, as local's own for its report).</summary>
internal sealed class GrainSweepSource(IGrainFactory grains, IAsyncDisposable? lifetime, bool paused = false) : ISweepSource
{
    private const string PausedNote = "no gradguess local or silo is running on this state directory: a sweep shown as running is " +
                                      "paused, and goes on when `gradguess local` runs its spec again (a local runs only the sweep it is given), or a silo starts on the directory";

    public bool Paused => paused;

    /// <summary>Says on stderr, for the read-only verbs, that the running ones among <paramref name="states"/> are paused
    /// when <paramref name="source"/> is.</summary>
    public static void NotePaused(ISweepSource source, params IEnumerable<SweepState> states)
    {
        if (source.Paused && states.Contains(SweepState.Running)) Output.Info(PausedNote);
    }

    /// <summary>Cells per curve request: keeps each reply small for long curves.</summary>
    public const int CurveBatch = 16;

    public ISweepCoordinatorGrain Coordinator(string sweep) => grains.GetGrain<ISweepCoordinatorGrain>(sweep);

    public Task<IReadOnlyList<SweepSummary>> ListAsync(CancellationToken cancellationToken) =>
        grains.GetGrain<ISweepRegistryGrain>(0).ListAsync().WaitAsync(cancellationToken);

    // Every read waits on the token too: a grain call ends only with its answer or Orleans' 30 s timeout, so Ctrl-C on a
    // stuck silo or store would otherwise wait that out.
    public Task<SweepStatus?> GetStatusAsync(string sweep, CancellationToken cancellationToken) =>
        Coordinator(sweep).GetStatusAsync().WaitAsync(cancellationToken);

    public Task<SweepSpec?> GetSpecAsync(string sweep, CancellationToken cancellationToken) =>
        Coordinator(sweep).GetSpecAsync().WaitAsync(cancellationToken);

    public Task<SweepResults?> GetResultsAsync(string sweep, SelectionSpec? selection, CancellationToken cancellationToken) =>
        Coordinator(sweep).GetResultsAsync(selection).WaitAsync(cancellationToken);

    public async Task<IReadOnlyList<CellCurve>> GetCurvesAsync(string sweep, CancellationToken cancellationToken)
    {
        var status = await GetStatusAsync(sweep, cancellationToken) ?? throw SweepNotFound(sweep);
        var curves = new List<CellCurve>(status.Cells.Count);
        foreach (var batch in status.Cells.Select(c => c.CellId).Chunk(CurveBatch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = await Coordinator(sweep).GetCurvesAsync(batch).WaitAsync(cancellationToken);
            // A sweep deleted between two batches answers the later ones with nothing: not a shorter export.
            if (!read.Select(c => c.CellId).Order(StringComparer.Ordinal).SequenceEqual(batch.Order(StringComparer.Ordinal))) throw Changed(sweep);
            curves.AddRange(read);
        }
        // ... and one submitted again meanwhile has the same cells: its curves would mix with the old ones.
        if (curves.Count > CurveBatch && (await GetStatusAsync(sweep, cancellationToken))?.CreatedAt != status.CreatedAt) throw Changed(sweep);
        return curves;
    }

    private static InvalidOperationException Changed(string sweep) =>
        new($"sweep '{sweep}' was deleted or submitted again while its curves were read; nothing was written: run the command again");

    public static UsageException SweepNotFound(string sweep) => new($"no sweep named '{sweep}'");

    public ValueTask DisposeAsync() => lifetime?.DisposeAsync() ?? ValueTask.CompletedTask;
}
