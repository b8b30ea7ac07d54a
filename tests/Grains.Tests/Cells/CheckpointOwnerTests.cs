using GradGuessCluster.Grains.Hosting;

namespace GradGuessCluster.Grains.Tests.Cells;

public sealed class CheckpointOwnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-ckpt-owner-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Claim_TakesAFreeDirectory_KeepsItForItsOwner_AndRefusesAnotherStoresHost()
    {
        var redis = CheckpointOwner.SharedStore("redis", "gradguess");
        Assert.Null(CheckpointOwner.Claim(_dir, redis));
        Assert.Equal("redis service gradguess\n", File.ReadAllText(Path.Combine(_dir, CheckpointOwner.FileName)));
        Assert.Null(CheckpointOwner.Claim(_dir, redis));   // every silo of that service, every restart

        var local = CheckpointOwner.FileStore(_dir, Path.Combine(_dir, "..", "state"));
        var refusal = CheckpointOwner.Claim(_dir, local);
        Assert.NotNull(refusal);
        Assert.Contains("another store's sweeps (redis service gradguess; this host's: file ../state", refusal);
        Assert.Null(CheckpointOwner.Claim(_dir, CheckpointOwner.SharedStore("redis", "gradguess")));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Unclaim_TakesBackAClaimNobodyAccepted_ButNotOneAnotherHostTrainsUnder()
    {
        var postgres = CheckpointOwner.SharedStore("postgres", "gradguess");
        var claim = Path.Combine(_dir, CheckpointOwner.FileName);

        // The first silo of a service claims the directory, and its start fails (a wrong password): it takes the claim back.
        Assert.Null(CheckpointOwner.Claim(_dir, postgres, out var made));
        Assert.True(made);
        CheckpointOwner.Unclaim(_dir);
        Assert.False(File.Exists(claim));

        // Again, but another silo of the service accepted the claim and trains before the first one's start fails.
        Assert.Null(CheckpointOwner.Claim(_dir, postgres, out made));
        Assert.Null(CheckpointOwner.Claim(_dir, postgres, out var accepted));
        Assert.False(accepted);
        CheckpointOwner.Unclaim(_dir);
        Assert.Equal("postgres service gradguess\n", File.ReadAllText(claim));

        // That claim removed by hand (its store gone for good): the mark of its acceptance does not keep the next one.
        File.Delete(claim);
        Assert.Null(CheckpointOwner.Claim(_dir, CheckpointOwner.SharedStore("redis", "other"), out made));
        Assert.True(made);
        CheckpointOwner.Unclaim(_dir);
        Assert.False(File.Exists(claim));
    }

    /// <summary>Two silos of one service start together on a fresh volume: A claims it, B reads A's claim, and A's start
    /// fails, so A takes its claim back before B has marked it accepted. B trains there all the same: the claim must be
    /// there while it does, or a host of another store could claim the directory and delete B's checkpoints.</summary>
    [Fact]
    public void AClaimTakenBackAsAnotherHostAcceptsIt_IsThereWhileThatHostTrains()
    {
        var redis = CheckpointOwner.SharedStore("redis", "gradguess");
        var claim = Path.Combine(_dir, CheckpointOwner.FileName);

        Assert.Null(CheckpointOwner.Claim(_dir, redis, out var made));
        Assert.True(made);
        string? answer = "not asked";
        Interleaved(step => { if (step == "read") CheckpointOwner.Unclaim(_dir); }, () => answer = CheckpointOwner.Claim(_dir, redis, out made));

        Assert.Null(answer);

        Assert.Equal("redis service gradguess\n", File.ReadAllText(claim));
        Assert.False(made);   // kept by B's mark: a failed start of B's does not take it back
        CheckpointOwner.Unclaim(_dir);
        Assert.True(File.Exists(claim));
        Assert.NotNull(CheckpointOwner.Claim(_dir, CheckpointOwner.SharedStore("postgres", "other")));   // another store's host: refused
    }

    /// <summary>As above, but B accepts the claim (marks it, and finds it there) just after A has looked for a mark and
    /// before A moves the claim aside to take it back: A looks again once it is aside, sees B's mark, and puts it back.</summary>
    [Fact]
    public void AClaimAcceptedAsItsHostTakesItBack_IsPutBack()
    {
        var redis = CheckpointOwner.SharedStore("redis", "gradguess");
        var claim = Path.Combine(_dir, CheckpointOwner.FileName);

        Assert.Null(CheckpointOwner.Claim(_dir, redis, out var made));
        Assert.True(made);
        string? answer = "not asked";
        Interleaved(step => { if (step == "checked") answer = CheckpointOwner.Claim(_dir, redis, out made); }, () => CheckpointOwner.Unclaim(_dir));

        Assert.Null(answer);
        Assert.False(made);
        Assert.Equal("redis service gradguess\n", File.ReadAllText(claim));
        Assert.Equal([CheckpointOwner.FileName, CheckpointOwner.AcceptedName],
            Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));   // nothing left aside
    }

    /// <summary>As above, and a host of another store starts in the moment the claim is aside: it must not take the
    /// directory for a free one, since B trains there under that claim.</summary>
    [Fact]
    public void AClaimAcceptedAsItsHostTakesItBack_IsNotTakenByAnotherStoresHostWhileAside()
    {
        var redis = CheckpointOwner.SharedStore("redis", "gradguess");
        var claim = Path.Combine(_dir, CheckpointOwner.FileName);

        Assert.Null(CheckpointOwner.Claim(_dir, redis, out _));
        string? accepted = "not asked", other = "not asked";
        Interleaved(step =>
        {
            if (step == "checked") accepted = CheckpointOwner.Claim(_dir, redis);
            else if (step == "aside") other = CheckpointOwner.Claim(_dir, CheckpointOwner.SharedStore("postgres", "other"), out _);
        }, () => CheckpointOwner.Unclaim(_dir));

        Assert.Null(accepted);
        Assert.NotNull(other);
        Assert.Contains("another store's sweeps (redis service gradguess; this host's: postgres service other", other);
        Assert.Equal("redis service gradguess\n", File.ReadAllText(claim));
        Assert.Equal([CheckpointOwner.FileName, CheckpointOwner.AcceptedName],
            Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>The other side: a claim nobody accepted, taken back as another store's host starts, does not refuse or
    /// hold up that host, and a claim a dead host left aside counts as taken back (as a claim where one accepted it).</summary>
    [Fact]
    public void AClaimAsideThatNobodyAccepted_IsGone_ButOneAcceptedIsStillAClaim()
    {
        var redis = CheckpointOwner.SharedStore("redis", "gradguess");
        var postgres = CheckpointOwner.SharedStore("postgres", "other");
        var claim = Path.Combine(_dir, CheckpointOwner.FileName);

        Assert.Null(CheckpointOwner.Claim(_dir, redis, out _));
        string? other = "not asked";
        var made = false;
        Interleaved(step => { if (step == "aside") other = CheckpointOwner.Claim(_dir, postgres, out made); }, () => CheckpointOwner.Unclaim(_dir));
        Assert.Null(other);
        Assert.True(made);
        Assert.Equal("postgres service other\n", File.ReadAllText(claim));
        Assert.Equal([CheckpointOwner.FileName], Directory.GetFiles(_dir).Select(Path.GetFileName));

        // Left aside by a host that died while taking its claim back, after another had accepted it: still that store's.
        var aside = Path.Combine(_dir, $".{CheckpointOwner.FileName}.0123456789abcdef0123456789abcdef.unclaimed");
        File.Move(claim, aside);
        File.WriteAllText(Path.Combine(_dir, CheckpointOwner.AcceptedName), "");
        Assert.NotNull(CheckpointOwner.Claim(_dir, redis));
        Assert.Equal("postgres service other\n", File.ReadAllText(claim));
        Assert.False(File.Exists(aside));

        // The same with no host's acceptance: nobody trains under it, and the next host takes the directory.
        File.Delete(Path.Combine(_dir, CheckpointOwner.AcceptedName));
        File.Move(claim, aside);
        Assert.Null(CheckpointOwner.Claim(_dir, redis, out made));
        Assert.True(made);
        Assert.Equal("redis service gradguess\n", File.ReadAllText(claim));
        Assert.Equal([CheckpointOwner.FileName], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    /// <summary>Runs <paramref name="host"/> with <paramref name="other"/> run at each of its steps (another host's, then).</summary>
    private static void Interleaved(Action<string> other, Action host)
    {
        CheckpointOwner.Interleave.Value = other;
        try { host(); }
        finally { CheckpointOwner.Interleave.Value = null; }
    }

    [Fact]
    public void FileStore_IsTheStateDirectoryRelativeToTheCheckpoints_SoAMovedPairStaysOne()
    {
        Assert.Equal("file ../state", CheckpointOwner.FileStore("/a/.gradguess/checkpoints", "/a/.gradguess/state"));
        Assert.Equal(CheckpointOwner.FileStore("/a/s/checkpoints", "/a/s/state"), CheckpointOwner.FileStore("/b/s/checkpoints", "/b/s/state"));
        Assert.NotEqual(CheckpointOwner.FileStore("/a/s/checkpoints", "/a/s/state"), CheckpointOwner.FileStore("/a/s/checkpoints", "/a/t/state"));
    }

    /// <summary>Two state directories whose checkpoints link to one directory: both read as "../state" by path, and each
    /// host's packs would delete the other's checkpoints of a sweep of the same name.</summary>
    [Fact]
    public void Claim_OfTwoStateDirectoriesWhoseCheckpointsLinkToOneDirectory_RefusesTheSecond()
    {
        var shared = Directory.CreateDirectory(Path.Combine(_dir, "scratch", "ckpt")).FullName;
        string Checkpoints(string state)
        {
            Directory.CreateDirectory(Path.Combine(_dir, state, "state"));
            var link = Path.Combine(_dir, state, "checkpoints");
            File.CreateSymbolicLink(link, shared);
            return link;
        }
        var (a, b) = (Checkpoints("a"), Checkpoints("b"));

        Assert.Null(CheckpointOwner.Claim(a, CheckpointOwner.FileStore(a, Path.Combine(_dir, "a", "state"))));
        Assert.Null(CheckpointOwner.Claim(a, CheckpointOwner.FileStore(a, Path.Combine(_dir, "a", "state"))));   // its own, again
        var refusal = CheckpointOwner.Claim(b, CheckpointOwner.FileStore(b, Path.Combine(_dir, "b", "state")));
        Assert.NotNull(refusal);
        Assert.Contains("another store's sweeps (file ../../a/state; this host's: file ../../b/state", refusal);
    }

    /// <summary>A claim written before links were resolved ("../state" however checkpoints/ links) is still its host's.</summary>
    [Fact]
    public void Claim_WrittenByPathBeforeLinksWereResolved_IsStillItsOwners()
    {
        var shared = Directory.CreateDirectory(Path.Combine(_dir, "elsewhere")).FullName;
        Directory.CreateDirectory(Path.Combine(_dir, "s", "state"));
        var link = Path.Combine(_dir, "s", "checkpoints");
        File.CreateSymbolicLink(link, shared);
        File.WriteAllText(Path.Combine(shared, CheckpointOwner.FileName), "file ../state\n");

        Assert.Null(CheckpointOwner.Claim(link, CheckpointOwner.FileStore(link, Path.Combine(_dir, "s", "state"))));
        Assert.NotNull(CheckpointOwner.Claim(link, CheckpointOwner.FileStore(link, Path.Combine(_dir, "t", "state"))));
    }

    [Fact]
    public void Claim_RacedByManyHosts_LeavesOneOwner_AndRefusesEveryOther()
    {
        // Rounds on fresh directories: File.Move without overwrite looks, then renames, and two of a round both won.
        var owners = Enumerable.Range(0, 16).Select(i => CheckpointOwner.SharedStore("redis", $"s{i}")).ToArray();
        for (var round = 0; round < 50; round++)
        {
            var directory = Directory.CreateDirectory(Path.Combine(_dir, $"round{round}")).FullName;
            var answers = new string?[owners.Length];
            Parallel.For(0, owners.Length, i => answers[i] = CheckpointOwner.Claim(directory, owners[i]));

            var held = File.ReadAllText(Path.Combine(directory, CheckpointOwner.FileName)).Trim();
            Assert.Equal([held], owners.Where((_, i) => answers[i] is null));
        }
    }
}
