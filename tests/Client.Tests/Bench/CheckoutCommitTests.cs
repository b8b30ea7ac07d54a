using System.Diagnostics;
using GradGuessCluster.Client.Bench;

namespace GradGuessCluster.Client.Tests.Bench;

/// <summary>The commit a bench's record names: plain for a clean checkout, flagged when tracked sources were changed,
/// but not for the benchmarks file that every bench itself writes.</summary>
public sealed class CheckoutCommitTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("gg-checkout-").FullName;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    [Fact]
    public void CheckoutCommit_FlagsChangedSources_ButNotTheBenchmarksFile()
    {
        Directory.CreateDirectory(Path.Combine(_repo, "docs"));
        File.WriteAllText(Path.Combine(_repo, "Trainer.cs"), "// v1");
        File.WriteAllText(Path.Combine(_repo, "docs", "BENCHMARKS.md"), "# Benchmarks");
        Git("init", "-q");
        Git("add", ".");
        Git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "first");
        var head = Git("rev-parse", "--short", "HEAD");

        Assert.Equal(head, BenchmarksFile.CheckoutCommit(_repo));
        File.WriteAllText(Path.Combine(_repo, "docs", "BENCHMARKS.md"), "# Benchmarks\n\nnew figures");
        File.WriteAllText(Path.Combine(_repo, "notes.txt"), "untracked");
        Assert.Equal(head, BenchmarksFile.CheckoutCommit(_repo));
        File.WriteAllText(Path.Combine(_repo, "Trainer.cs"), "// v2");
        Assert.Equal(head + " with uncommitted changes", BenchmarksFile.CheckoutCommit(_repo));
    }

    [Fact]
    public void CheckoutCommit_OutsideAGitCheckout_IsUnknown() =>
        Assert.Equal("unknown", BenchmarksFile.CheckoutCommit(_repo));

    private string Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = _repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var git = Process.Start(psi)!;
        var output = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', args)}: {git.StandardError.ReadToEnd()}");
        return output;
    }
}
