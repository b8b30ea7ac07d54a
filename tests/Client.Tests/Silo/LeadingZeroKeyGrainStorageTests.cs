using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Silo.Storage;
using Orleans.Storage;
using Orleans.Runtime;

namespace GradGuessCluster.Client.Tests.Silo;

/// <summary>The keys the PostgreSQL provider would file under one integer are told apart; every other key is left as it is,
/// so rows stored before are still found. (End to end on a real PostgreSQL: PostgresClusterEndToEndTests.)</summary>
public sealed class LeadingZeroKeyGrainStorageTests
{
    [Theory]
    [InlineData("07")]
    [InlineData("007")]
    [InlineData("0a")]
    [InlineData("00")]
    public void AKeyWithLeadingZerosThatParsesAsAnInteger_BecomesAStringKeyOfItsOwn(string key)
    {
        var mapped = LeadingZeroKeyGrainStorage.Distinct(GrainId.Create("gg-sweep", key));
        Assert.Equal(key + "~", mapped.Key.ToString());
        Assert.Equal("gg-sweep", mapped.Type.ToString());
        Assert.False(mapped.TryGetIntegerKey(out _, out _));
        Assert.False(mapped.TryGetGuidKey(out _, out _));
    }

    [Theory]
    [InlineData("7")]
    [InlineData("0")]
    [InlineData("cafe")]
    [InlineData("0-mnist")]
    [InlineData("e2e-postgres")]
    [InlineData("07/0123456789abcdef/0")]
    public void OtherKeys_AreLeftAsTheyAre(string key)
    {
        var id = GrainId.Create("gg-sweep", key);
        Assert.Equal(id, LeadingZeroKeyGrainStorage.Distinct(id));
    }

    [Fact]
    public void TheKeysItSeparates_DidCollide()
    {
        // What the provider does with them: 7 and 07 read as the same integer.
        Assert.True(GrainId.Create("gg-sweep", "7").TryGetIntegerKey(out var seven, out _));
        Assert.True(GrainId.Create("gg-sweep", "07").TryGetIntegerKey(out var zeroSeven, out _));
        Assert.Equal(seven, zeroSeven);
    }

    /// <summary>Rows keyed as Orleans' ADO.NET provider keys them: by the integer a key parses as, else by the key (no ETag
    /// checks: only the wrapper's choice of key is under test).</summary>
    private sealed class RowsByKey : IGrainStorage
    {
        public Dictionary<string, object?> Rows { get; } = new();

        public static string RowKey(GrainId id) => id.TryGetIntegerKey(out var n, out var extension) ? $"integer {n} {extension}" : $"string {id.Key}";

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            (grainState.State, grainState.RecordExists, grainState.ETag) =
                Rows.TryGetValue(RowKey(grainId), out var row) ? ((T)row!, true, "1") : (default!, false, null);
            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            Rows[RowKey(grainId)] = grainState.State;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.FromResult(Rows.Remove(RowKey(grainId)));
    }

    private static SweepCoordinatorState Ledger(string sweep) => new()
    {
        Spec = new SweepSpec(sweep, new DataSpec("synthetic"), new ModelSpec(1, 8), ["backprop"], ["sgd"], [0.1], [0], 2),
    };

    /// <summary>A ledger that an earlier build stored under the integer its name parses as is still this sweep's: read
    /// from there, as not yet stored, so that its next write puts it under the new key. Another sweep's row there is not.</summary>
    [Fact]
    public async Task ALedgerStoredUnderTheIntegerByAnEarlierBuild_IsReadFromThere_OnlyWhenItIsThisSweeps()
    {
        var rows = new RowsByKey();
        var storage = new LeadingZeroKeyGrainStorage(rows);
        var (zeroSeven, seven) = (GrainId.Create("gg-sweep", "07"), GrainId.Create("gg-sweep", "7"));
        rows.Rows[RowsByKey.RowKey(seven)] = Ledger("07");   // where an earlier build put sweep 07 (07 and 7 are one row)

        var read = new GrainState<SweepCoordinatorState>();
        await storage.ReadStateAsync("sweep", zeroSeven, read);
        Assert.Equal(("07", false, null), (read.State?.Spec?.Name, read.RecordExists, read.ETag));
        await storage.WriteStateAsync("sweep", zeroSeven, read);
        Assert.True(rows.Rows.ContainsKey(RowsByKey.RowKey(LeadingZeroKeyGrainStorage.Distinct(zeroSeven))));

        rows.Rows[RowsByKey.RowKey(seven)] = Ledger("7");   // sweep 7's own: not 007's
        var other = new GrainState<SweepCoordinatorState>();
        await storage.ReadStateAsync("sweep", GrainId.Create("gg-sweep", "007"), other);
        Assert.Null(other.State?.Spec);
        Assert.False(other.RecordExists);
    }
}
