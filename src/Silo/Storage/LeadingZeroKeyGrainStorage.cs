using GradGuessCluster.Grains.Sweeps;
using Orleans.Runtime;
using Orleans.Storage;

namespace GradGuessCluster.Silo.Storage;

/// <summary>
/// Orleans' ADO.NET (PostgreSQL) provider files a grain whose key parses as a hexadecimal integer under that integer, so
/// the sweeps <c>7</c>, <c>07</c> and <c>007</c> would share one ledger row (and the second would be refused as holding
/// another sweep's ledger). A key with leading zeros that parses so is given a suffix no sweep name can hold, which makes
/// it a string key of its own. Keys without leading zeros are passed as they are, so rows stored before this are found;
/// a sweep's ledger that an earlier build stored under the integer is read from there until its next write moves it,
/// and removed from there by its clear.
/// </summary>
public sealed class LeadingZeroKeyGrainStorage(IGrainStorage inner) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var distinct = Distinct(grainId);
        await inner.ReadStateAsync(stateName, distinct, grainState);
        if (grainState.RecordExists || distinct == grainId) return;
        // Taken without its ETag and as not yet stored, so that the next write inserts it under the new key.
        if (await EarlierAsync<T>(stateName, grainId) is { } earlier) grainState.State = earlier.State;
    }

    // A write leaves the row under the integer as it is: no read falls back to it once the new row exists, and removing it
    // here would add a step that can fail after the write was stored. A clear removes it, before the new row: a clear
    // stopped between the two leaves the new row (a delete's Deleting mark) to be read, never the earlier state again.
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(stateName, Distinct(grainId), grainState);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var distinct = Distinct(grainId);
        if (distinct != grainId && await EarlierAsync<T>(stateName, grainId) is { } earlier)
            await inner.ClearStateAsync(stateName, grainId, earlier);   // with its own ETag; a failure fails the clear
        await inner.ClearStateAsync(stateName, distinct, grainState);
    }

    /// <summary>The row an earlier build stored under the integer, when it holds this sweep's ledger; null otherwise (the
    /// row of 7 may be sweep 7's own, never read nor cleared for 07).</summary>
    private async Task<GrainState<T>?> EarlierAsync<T>(string stateName, GrainId grainId)
    {
        var earlier = new GrainState<T>();
        await inner.ReadStateAsync(stateName, grainId, earlier);
        return earlier.RecordExists && earlier.State is SweepCoordinatorState { Spec.Name: var name } && name == grainId.Key.ToString()
            ? earlier : null;
    }

    /// <summary>The grain id the provider is given: a key such as <c>07</c> becomes <c>07~</c>.</summary>
    public static GrainId Distinct(GrainId grainId)
    {
        var key = grainId.Key.ToString();
        if (key.Length < 2 || key[0] != '0' || !grainId.TryGetIntegerKey(out _, out _)) return grainId;
        return GrainId.Create(grainId.Type, IdSpan.Create(key + "~"));
    }
}
