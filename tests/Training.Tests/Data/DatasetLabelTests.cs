using GradGuessCluster.Training.Data;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Data;

/// <summary>A data set built in code refuses labels outside its classes at once, on whatever device: on a GPU the loss
/// would otherwise meet them as a device-side assert.</summary>
public sealed class DatasetLabelTests
{
    [Theory]
    [InlineData(10, "training", "from 0 to 10, outside 0..9")]
    [InlineData(-1, "test", "from -1 to 2, outside 0..9")]
    public void LabelsOutsideTheClasses_AreRefusedNamingTheSplitAndRange(long bad, string split, string range)
    {
        using var x = zeros(3, 2);
        using var good = tensor(new long[] { 0, 1, 2 });
        using var wrong = tensor(new long[] { 0, bad, 2 });
        var e = Assert.Throws<ArgumentException>(() => split == "training"
            ? new Dataset("built", x, wrong, x, good, classes: 10)
            : new Dataset("built", x, good, x, wrong, classes: 10));
        Assert.Equal($"built: {split} labels run {range}", e.Message);

        using var fine = new Dataset("built", x, good, x, good, classes: 10);
        Assert.Equal(10, fine.Classes);
    }
}
