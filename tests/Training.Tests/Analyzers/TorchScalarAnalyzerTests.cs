using GradGuessCluster.Analyzers;

namespace GradGuessCluster.Training.Tests.Analyzers;

/// <summary>
/// The build-time rule against TorchSharp Scalar temporaries (a GC can free one during the native call; see
/// build/Analyzers/TorchScalarAnalyzer.cs): what it flags and what it lets through, and that src/Training is clean.
/// </summary>
public class TorchScalarAnalyzerTests
{
    private const string Prelude = """
        using TorchSharp;
        using static TorchSharp.torch;
        static class Held { public static readonly Scalar Two = 2.0.ToScalar(); public static readonly Scalar[] Both = [Two, Two]; }
        static class Probe
        {
            static Tensor Own(Scalar s) => zeros(1);
            static void Run(Tensor t, Tensor u, Scalar given)
            {
        """;

    [Theory]
    [InlineData("t.mul_(2.0);", "GG0001")]                                 // implicit conversion of a number
    [InlineData("t.mul_(2.0.ToScalar());", "GG0001")]                      // explicit, but still unheld
    [InlineData("var s = 2.0.ToScalar(); t.mul_(s);", "GG0001")]           // a plain local dies at its last use
    [InlineData("var r = t * 2.0;", "GG0001")]                             // TorchSharp's operators take Scalars too
    [InlineData("var r = 2 + t;", "GG0001")]
    [InlineData("t.add_(u);", "GG0002")]                                   // add_(Tensor) fills alpha = 1 itself
    [InlineData("var r = t + u;", "GG0002")]                               // the operator calls add(Tensor)
    [InlineData("t.add_(2.0.ToScalar(), Held.Two);", "GG0001")]
    [InlineData("var a = new[] { 2.0.ToScalar() }; t.mul_(a[0]);", "GG0001")]   // an element of an array nothing holds
    [InlineData("var r = t.square();", "GG0003")]                          // pow(2) inside: the bug of 2026-12-08
    [InlineData("var r = square(t);", "GG0003")]                           // the static form calls it
    [InlineData("var f = t.ToSingle();", "GG0003")]                        // an extension: ToScalar().ToSingle()
    [InlineData("var f = (float)t;", "GG0003")]                            // a conversion operator hides the same
    [InlineData("var r = t + Held.Two;", "GG0003")]                        // a held Scalar, but add(Scalar) makes alpha
    [InlineData("var r = nn.functional.leaky_relu(t, 0.1);", "GG0003")]    // a double parameter made a Scalar inside
    [InlineData("var r = linalg.vector_norm(t, 2);", "GG0003")]
    public void Flags_scalars_that_nothing_holds(string body, string id)
    {
        var found = Analyze(Prelude + body + "\n}\n}\n");
        Assert.Contains(found, f => f.StartsWith(id + ":"));
    }

    [Theory]
    [InlineData("t.mul_(Held.Two);")]                                      // a static field
    [InlineData("using var s = 2.0.ToScalar(); t.mul_(s);")]               // a using local lives to the block's end
    [InlineData("using (var s = 2.0.ToScalar()) { t.mul_(s); }")]
    [InlineData("t.add_(u, given);")]                                      // a parameter: its caller is checked
    [InlineData("t.add_(u, Held.Two);")]                                   // the overload that takes alpha
    [InlineData("Own(given); var x = t.sum(1);")]                          // our own method: checked where it reaches TorchSharp
    [InlineData("var r = t * u; var q = t * Held.Two;")]                   // tensor × tensor makes no Scalar
    [InlineData("t.mul_(Held.Both[1]);")]                                  // an element of a held array
    [InlineData("var r = t.mul(t); var f = t.item<float>();")]             // what GG0003 suggests instead
    [InlineData("var r = t.pow(Held.Two); var n = t.norm();")]
    public void Lets_held_scalars_through(string body)
    {
        var found = Analyze(Prelude + body + "\n}\n}\n");
        Assert.Empty(found);
    }

    [Fact]
    public void Training_library_has_no_scalar_temporaries() =>
        Assert.Empty(AnalyzerProbe.Run(new TorchScalarAnalyzer(), AnalyzerProbe.TrainingSources(), withGlobalUsings: true));

    private static List<string> Analyze(string source) => AnalyzerProbe.Run(new TorchScalarAnalyzer(), [source]);
}
