using GradGuessCluster.Client.Commands;

namespace GradGuessCluster.Client.Tests.Train;

/// <summary><c>train --checkpoint</c>'s claim: one train per file, whatever name each gives it.</summary>
public sealed class CheckpointOptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-ckptopt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ASecondClaim_OfAFileInUse_IsAUsageError_NamingIt()
    {
        var checkpoint = Path.Combine(_dir, "cell.ckpt");
        using var first = CheckpointOption.Claim(checkpoint);
        var e = Assert.Throws<UsageException>(() => CheckpointOption.Claim(checkpoint));
        Assert.Equal($"--checkpoint {checkpoint}: another gradguess train is using it; wait for that one to end, or give another file", e.Message);
    }

    [Fact]
    public void AClaim_WhereNoFileCanBeCreated_IsAUsageError()
    {
        Assert.Throws<UsageException>(() => CheckpointOption.Claim("/proc/gg-cell.ckpt"));
    }

    [Fact]
    public void AClaimThroughALink_IsOfTheFileItNames_WhichTheLinkKeepsNaming()
    {
        // Written by the link's own name, the checkpoint replaced the link with a file, and a train given the real name
        // took another lock and trained beside it.
        var real = Directory.CreateDirectory(Path.Combine(_dir, "real")).FullName;
        var file = Path.Combine(real, "cell.ckpt");
        var link = Path.Combine(_dir, "link.ckpt");
        File.CreateSymbolicLink(link, file);
        using var first = CheckpointOption.Claim(link);
        Assert.Equal(file, first.Path);
        Assert.Throws<UsageException>(() => CheckpointOption.Claim(file));
        var viaDirectoryLink = Path.Combine(Directory.CreateSymbolicLink(Path.Combine(_dir, "dirlink"), real).FullName, "cell.ckpt");
        Assert.Throws<UsageException>(() => CheckpointOption.Claim(viaDirectoryLink));
    }

    [Theory]
    [InlineData("/dev/null")]
    [InlineData("/dev/stdout")]
    public void AClaimOfAFileThatIsNotRegular_IsAUsageError(string path)
    {
        var e = Assert.Throws<UsageException>(() => CheckpointOption.Claim(path));
        Assert.StartsWith("--checkpoint: ", e.Message);
    }
}
