using GradGuessCluster.Client.Planning;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Tests.Planning;

public sealed class PlanViewTests
{
    [Theory]
    [InlineData(0, "0 FLOP")]
    [InlineData(950, "950 FLOP")]
    [InlineData(33.3e6, "33.3 MFLOP")]
    [InlineData(999.4e9, "999 GFLOP")]
    [InlineData(999.6e9, "1.00 TFLOP")]       // rounds up into the next unit, not to "1000 GFLOP"
    [InlineData(7.16e15, "7.16 PFLOP")]
    public void Flops_HasThreeSignificantFiguresAndTheRightUnit(double flops, string text) => Assert.Equal(text, Units.Flops(flops));

    [Theory]
    [InlineData(512, "512 B")]
    [InlineData(87_347, "85.3 KiB")]
    [InlineData(3_235_000, "3.09 MiB")]
    [InlineData(1_073_741_824L * 34, "34.0 GiB")]
    public void Bytes_UsesBinaryUnits(long bytes, string text) => Assert.Equal(text, Units.Bytes(bytes));
}
