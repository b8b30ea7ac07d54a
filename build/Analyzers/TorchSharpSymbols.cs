using Microsoft.CodeAnalysis;

namespace GradGuessCluster.Analyzers;

/// <summary>What the rules ask of a symbol, shared between them.</summary>
internal static class TorchSharpSymbols
{
    /// <summary>Declared by TorchSharp itself (its namespace or one under it).</summary>
    public static bool IsTorchSharp(ISymbol symbol) =>
        symbol.ContainingNamespace?.ToDisplayString() is { } ns && (ns == "TorchSharp" || ns.StartsWith("TorchSharp.", System.StringComparison.Ordinal));
}
