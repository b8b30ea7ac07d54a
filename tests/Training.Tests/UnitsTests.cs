namespace GradGuessCluster.Training.Tests;

public class UnitsTests
{
    [Theory]
    [InlineData(0, "0 learning rates")]
    [InlineData(1, "1 learning rate")]
    [InlineData(2, "2 learning rates")]
    [InlineData(1_000_000, "1000000 learning rates")]
    public void Count_SaysTheNounInTheNumberItTakes(long n, string expected) => Assert.Equal(expected, Units.Count(n, "learning rate"));

    [Fact]
    public void Count_TakesAnIrregularPlural() =>
        Assert.Equal(("1 matrix", "3 matrices"), (Units.Count(1, "matrix", "matrices"), Units.Count(3, "matrix", "matrices")));
}
