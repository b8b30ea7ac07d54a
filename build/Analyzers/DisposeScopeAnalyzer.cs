using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GradGuessCluster.Analyzers;

/// <summary>
/// TorchSharp keeps its dispose scopes per thread (a [ThreadStatic] stack). Code after an <c>await</c> may go on on
/// another thread: the tensors it makes then join that thread's innermost scope, not this one, and disposing this scope
/// there pops that thread's stack, so tensors are freed under whoever else uses them, or leak. GG0004 refuses a
/// <c>NewDisposeScope()</c> followed by an <c>await</c> in the same function; the tensor work belongs in a
/// synchronous method (the trainers' epochs run in <c>Task.Run(() =&gt; ...)</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DisposeScopeAnalyzer : DiagnosticAnalyzer
{
    public const string ScopeAcrossAwaitId = "GG0004";

    private static readonly DiagnosticDescriptor ScopeAcrossAwait = new(
        ScopeAcrossAwaitId,
        "TorchSharp dispose scope across an await",
        "A TorchSharp dispose scope opened in '{0}' before an await: scopes are per thread and the code after the await may run on another; open it in a synchronous method (inside Task.Run, for instance)",
        "Reliability", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(ScopeAcrossAwait);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(Check, OperationKind.Invocation);
    }

    private static void Check(OperationAnalysisContext context)
    {
        var method = ((IInvocationOperation)context.Operation).TargetMethod;
        if (method.Name != "NewDisposeScope" || !TorchSharpSymbols.IsTorchSharp(method)) return;
        var call = context.Operation.Syntax;
        var function = call.Ancestors().FirstOrDefault(IsFunction);
        if (function is null || !AwaitsAfter(function, call.SpanStart)) return;
        context.ReportDiagnostic(Diagnostic.Create(ScopeAcrossAwait, call.GetLocation(), Name(function)));
    }

    private static bool IsFunction(SyntaxNode node) =>
        node is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax;

    /// <summary>An await (or <c>await foreach</c>/<c>await using</c>) after <paramref name="position"/> in the function's own
    /// body: nested lambdas and local functions run on their own terms.</summary>
    private static bool AwaitsAfter(SyntaxNode function, int position) =>
        function.DescendantNodes(n => n == function || !IsFunction(n)).Any(n => n.SpanStart > position && n switch
        {
            AwaitExpressionSyntax => true,
            ForEachStatementSyntax f => f.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword),
            LocalDeclarationStatementSyntax d => d.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword),
            UsingStatementSyntax u => u.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword),
            _ => false,
        });

    private static string Name(SyntaxNode function) => function switch
    {
        MethodDeclarationSyntax m => m.Identifier.Text,
        LocalFunctionStatementSyntax l => l.Identifier.Text,
        ConstructorDeclarationSyntax c => c.Identifier.Text,
        _ => "a lambda",
    };
}
