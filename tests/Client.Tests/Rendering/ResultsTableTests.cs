using System.Globalization;
using GradGuessCluster.Client.Rendering;

namespace GradGuessCluster.Client.Tests.Rendering;

public class ResultsTableTests
{
    [Theory]
    [InlineData(1e-2, "1e-2")]
    [InlineData(3e-4, "3e-4")]
    [InlineData(1.5e-3, "1.5e-3")]
    [InlineData(1.23451e-3, "1.23451e-3")]
    [InlineData(1.23452e-3, "1.23452e-3")]
    [InlineData(1.0, "1e+0")]
    [InlineData(20.0, "2e+1")]
    [InlineData(0.1 + 0.2, "3.0000000000000004e-1")]                     // 17 significant digits: not 0.3
    public void Lr_IsTheShortestScientificFormThatReadsBack(double lr, string expected) => Assert.Equal(expected, ResultsTable.Lr(lr));

    [Fact]
    public void Lr_ReadsBackAsTheSameDouble_ForAnyLearningRate()
    {
        var random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            double lr = Math.Pow(10, -8 + 9 * random.NextDouble());                             // 1e-8 .. 10, all digits used
            var text = ResultsTable.Lr(lr);
            Assert.Equal(lr, double.Parse(text, CultureInfo.InvariantCulture));
        }
    }
}
