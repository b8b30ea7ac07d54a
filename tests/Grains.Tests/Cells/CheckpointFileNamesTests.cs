using GradGuessCluster.Grains.Cells;

namespace GradGuessCluster.Grains.Tests.Cells;

/// <summary>A pack checkpoint's name says its sweep's incarnation, and is read back as written.</summary>
public class CheckpointFileNamesTests
{
    [Theory]
    [InlineData("b3fded5c24a8")]
    [InlineData(null)]                 // a sweep from before incarnations: PACK.ckpt
    public void TheIncarnationOfAPackPath_IsTheOneItWasWrittenWith(string? incarnation)
    {
        var path = CheckpointFiles.PackPath("/state/checkpoints", "grid", "105f8eef7026de76", incarnation);
        Assert.Equal(incarnation is null ? "105f8eef7026de76.ckpt" : $"105f8eef7026de76.{incarnation}.ckpt", Path.GetFileName(path));
        Assert.Equal(incarnation, CheckpointFiles.IncarnationOf(path));
    }
}
