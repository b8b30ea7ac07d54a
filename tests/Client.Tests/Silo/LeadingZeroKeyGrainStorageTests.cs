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

    /// <summary>Rows keyed as Orleans' ADO.NET provider keys them: by the integer a key parses as, else by the key. A row's
    /// ETag is its key; a clear checks it (a write does not: only the wrapper's choice of key is under test).</summary>
    private sealed class RowsByKey : IGrainStorage
    {
        public Dictionary<string, object?> Rows { get; } = new();

        /// <summary>Row keys whose clear fails, as a connection lost on the way would.</summary>
        public HashSet<string> FailingClears { get; } = [];

        public static string RowKey(GrainId id) => id.TryGetIntegerKey(out var n, out var extension) ? $"integer {n} {extension}" : $"string {id.Key}";

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            var key = RowKey(grainId);
            (grainState.State, grainState.RecordExists, grainState.ETag) =
                Rows.TryGetValue(key, out var row) ? ((T)row!, true, key) : (default!, false, null);
            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            var key = RowKey(grainId);
            Rows[key] = grainState.State;
            (grainState.RecordExists, grainState.ETag) = (true, key);
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            var key = RowKey(grainId);
            if (FailingClears.Contains(key)) throw new TimeoutException($"clear of {key} lost");
            if (Rows.ContainsKey(key) && grainState.ETag != key)
                throw new InconsistentStateException($"clear of {key} with ETag {grainState.ETag ?? "null"}", key, grainState.ETag ?? "null");
            Rows.Remove(key);
            (grainState.RecordExists, grainState.ETag) = (false, null);
            return Task.CompletedTask;
        }
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

    /// <summary>A sweep read from the row an earlier build stored under the integer, then deleted (its Deleting mark
    /// written under the new key, then cleared), leaves neither row: read again, it is gone, not back as it was.</summary>
    [Fact]
    public async Task AClearOfALedgerReadFromTheIntegersRow_RemovesThatRowToo()
    {
        var rows = new RowsByKey();
        var storage = new LeadingZeroKeyGrainStorage(rows);
        var (zeroSeven, seven) = (GrainId.Create("gg-sweep", "07"), GrainId.Create("gg-sweep", "7"));
        rows.Rows[RowsByKey.RowKey(seven)] = Ledger("07");

        var state = new GrainState<SweepCoordinatorState>();
        await storage.ReadStateAsync("sweep", zeroSeven, state);
        await storage.WriteStateAsync("sweep", zeroSeven, state);   // the delete's Deleting mark
        await storage.ClearStateAsync("sweep", zeroSeven, state);

        Assert.Empty(rows.Rows);
        var again = new GrainState<SweepCoordinatorState>();
        await storage.ReadStateAsync("sweep", zeroSeven, again);
        Assert.Null(again.State?.Spec);
        Assert.False(again.RecordExists);
    }

    /// <summary>The row of the integer that holds sweep 7's own ledger is sweep 7's: a clear of 07 leaves it.</summary>
    [Fact]
    public async Task AClear_LeavesTheIntegersRow_WhenItHoldsAnotherSweepsLedger()
    {
        var rows = new RowsByKey();
        var storage = new LeadingZeroKeyGrainStorage(rows);
        var (zeroSeven, seven) = (GrainId.Create("gg-sweep", "07"), GrainId.Create("gg-sweep", "7"));
        rows.Rows[RowsByKey.RowKey(seven)] = Ledger("7");

        var state = new GrainState<SweepCoordinatorState>(Ledger("07"));
        await storage.WriteStateAsync("sweep", zeroSeven, state);
        await storage.ClearStateAsync("sweep", zeroSeven, state);

        Assert.Equal([RowsByKey.RowKey(seven)], rows.Rows.Keys);
        var sevens = new GrainState<SweepCoordinatorState>();
        await storage.ReadStateAsync("sweep", seven, sevens);
        Assert.Equal(("7", true), (sevens.State?.Spec?.Name, sevens.RecordExists));
    }

    /// <summary>A clear of the integer's row that fails fails the clear (the caller retries it), and the new row, removed
    /// after it, is still there: read again, the sweep is its Deleting mark, not the earlier ledger.</summary>
    [Fact]
    public async Task AClearOfTheIntegersRowThatFails_FailsTheClear_AndLeavesTheNewRow()
    {
        var rows = new RowsByKey();
        var storage = new LeadingZeroKeyGrainStorage(rows);
        var (zeroSeven, seven) = (GrainId.Create("gg-sweep", "07"), GrainId.Create("gg-sweep", "7"));
        rows.Rows[RowsByKey.RowKey(seven)] = Ledger("07");

        var state = new GrainState<SweepCoordinatorState>();
        await storage.ReadStateAsync("sweep", zeroSeven, state);
        state.State = new SweepCoordinatorState { Spec = state.State!.Spec, Deleting = true };   // a copy: the earlier row keeps its own
        await storage.WriteStateAsync("sweep", zeroSeven, state);
        rows.FailingClears.Add(RowsByKey.RowKey(seven));
        await Assert.ThrowsAsync<TimeoutException>(() => storage.ClearStateAsync("sweep", zeroSeven, state));

        var again = new GrainState<SweepCoordinatorState>();
        await storage.ReadStateAsync("sweep", zeroSeven, again);
        Assert.Equal(("07", true, true), (again.State?.Spec?.Name, again.State?.Deleting, again.RecordExists));

        rows.FailingClears.Clear();   // the retry
        await storage.ClearStateAsync("sweep", zeroSeven, again);
        Assert.Empty(rows.Rows);
    }
}
