using GradGuessCluster.Client.Commands;

namespace GradGuessCluster.Client.Tests.Train;

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
}
