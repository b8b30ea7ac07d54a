using GradGuessCluster.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TorchSharp;

namespace GradGuessCluster.Training.Tests.Analyzers;

/// <summary>
/// Rule GG0003's list (build/Analyzers/ScalarMakers.txt) against the TorchSharp this build references: the same
/// methods its IL shows making a Scalar, each named as the analyzer names a Roslyn method, so none slips through.
/// </summary>
public class ScalarMakersTests
{
    [Fact]
    public void List_is_what_TorchSharp_IL_makes_Scalars_in()
    {
        var scanned = ScalarMakerScan.PublicMakers(typeof(Scalar).Assembly.Location);
        Assert.True(scanned.Count > 100, $"the scan found only {scanned.Count} methods; it no longer reads TorchSharp's IL right");
        Assert.Contains("TorchSharp.torch+Tensor::square()", scanned);
        var missing = scanned.Except(ScalarMakers.Keys).ToList();
        var stale = ScalarMakers.Keys.Except(scanned).ToList();
        if (missing.Count + stale.Count == 0) return;
        var fresh = Path.Combine(Path.GetTempPath(), "ScalarMakers.txt");
        File.WriteAllLines(fresh, scanned);
        Assert.Fail($"ScalarMakers.txt is out of date for {typeof(Scalar).Assembly.GetName().Version}: {missing.Count} missing"
            + $" ({string.Join("; ", missing.Take(5))}), {stale.Count} no longer makers ({string.Join("; ", stale.Take(5))});"
            + $" the list found is in {fresh} (keep the file's header)");
    }

    [Fact]
    public void Every_listed_method_has_the_name_the_analyzer_gives_it()
    {
        var compilation = CSharpCompilation.Create("names", [], AnalyzerProbe.References());
        var torchSharp = compilation.GetTypeByMetadataName("TorchSharp.Scalar")!.ContainingAssembly;
        var named = Methods(torchSharp.GlobalNamespace).Select(TorchScalarAnalyzer.Key).ToHashSet(StringComparer.Ordinal);
        Assert.True(named.Count > 1000, $"only {named.Count} methods in TorchSharp");
        var unnamed = ScalarMakers.Keys.Where(k => !named.Contains(k)).ToList();
        Assert.True(unnamed.Count == 0, $"{unnamed.Count} listed methods match no method as the analyzer names them: {string.Join("; ", unnamed.Take(5))}");
    }

    private static IEnumerable<IMethodSymbol> Methods(INamespaceOrTypeSymbol container) =>
        container.GetMembers().SelectMany(m => m switch
        {
            INamespaceOrTypeSymbol inner => Methods(inner),
            IMethodSymbol method => [method],
            _ => Enumerable.Empty<IMethodSymbol>(),
        });
}
