using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp;

namespace GradGuessCluster.Training.Tests.Analyzers;

/// <summary>Runs one of build/Analyzers' analyzers on sources compiled against TorchSharp and the runtime.</summary>
public static class AnalyzerProbe
{
    /// <summary>Fails on a compile error (an analysis of code that does not compile would prove nothing); returns the
    /// analyzer's diagnostics as "ID: message".</summary>
    public static List<string> Run(DiagnosticAnalyzer analyzer, string[] sources, bool withGlobalUsings = false)
    {
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest))).ToList();
        if (withGlobalUsings)
            trees.Add(CSharpSyntaxTree.ParseText(
                "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Net.Http;"
                + " global using System.Threading; global using System.Threading.Tasks;", new CSharpParseOptions(LanguageVersion.Latest)));
        var compilation = CSharpCompilation.Create("probe", trees, References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).ToList();
        Assert.True(errors.Count == 0, "the probe does not compile: " + string.Join("; ", errors));
        var diagnostics = compilation.WithAnalyzers(ImmutableArray.Create(analyzer)).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return diagnostics.Select(d => $"{d.Id}: {d.GetMessage()}").ToList();
    }

    /// <summary>The runtime's assemblies and TorchSharp.</summary>
    public static IEnumerable<MetadataReference> References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(Scalar).Assembly.Location)
            .Distinct()
            .Select(p => MetadataReference.CreateFromFile(p));

    /// <summary>The sources of src/Training, which every rule must find clean.</summary>
    public static string[] TrainingSources()
    {
        var dir = Path.Combine(GradGuessCluster.Tests.Shared.RepoRoot.Path, "src", "Training");
        var sources = Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(File.ReadAllText).ToArray();
        Assert.True(sources.Length > 30, $"found only {sources.Length} sources under {dir}");
        return sources;
    }
}
