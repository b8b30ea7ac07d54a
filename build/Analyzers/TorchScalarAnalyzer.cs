using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GradGuessCluster.Analyzers;

/// <summary>
/// TorchSharp's <c>Scalar</c> owns a native value that its finalizer deletes, and a dispose scope does not track it.
/// A Scalar made for one call (a number converted implicitly, <c>x.ToScalar()</c> inline, or the <c>alpha</c> that
/// <c>add(Tensor)</c> fills in itself) is unreachable once its handle is passed, so a GC during the native call
/// can free it under libtorch: the call then fails with "Expected false to be true" or reads a wrong value. A probe
/// with a thread collecting in a loop failed 4 to 9 of 3 million adds. These rules make every Scalar a call receives
/// one that something holds: a field or property, a parameter (its caller is checked), or a <c>using</c> local; and
/// they forbid the TorchSharp methods that make such a Scalar inside (<c>square()</c> is <c>pow(2)</c>), listed in
/// ScalarMakers.txt from TorchSharp's IL.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TorchScalarAnalyzer : DiagnosticAnalyzer
{
    public const string TemporaryScalarId = "GG0001";
    public const string ImplicitAlphaId = "GG0002";
    public const string MakesScalarInsideId = "GG0003";

    private static readonly DiagnosticDescriptor TemporaryScalar = new(
        TemporaryScalarId,
        "TorchSharp Scalar temporary",
        "'{0}' becomes a TorchSharp Scalar that nothing holds during the native call, so a GC can free it under libtorch; pass a Scalar held by a field or a 'using' local",
        "Reliability", DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static readonly DiagnosticDescriptor ImplicitAlpha = new(
        ImplicitAlphaId,
        "TorchSharp overload that makes its own Scalar",
        "'{0}' fills in its '{1}' with a temporary Scalar that a GC can free during the native call; call the overload that takes '{1}' and pass a held Scalar",
        "Reliability", DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static readonly DiagnosticDescriptor MakesScalarInside = new(
        MakesScalarInsideId,
        "TorchSharp method that makes its own Scalar",
        "'{0}' makes a TorchSharp Scalar inside that nothing holds during its native call, so a GC can free it under libtorch; write it with calls that take held Scalars (x.square() as x.mul(x), t.ToSingle() as t.item<float>())",
        "Reliability", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(TemporaryScalar, ImplicitAlpha, MakesScalarInside);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var scalar = start.Compilation.GetTypeByMetadataName("TorchSharp.Scalar");
            if (scalar is null) return;                                   // the project does not use TorchSharp
            start.RegisterOperationAction(c => CheckArgument(c, scalar), OperationKind.Argument);
            start.RegisterOperationAction(c => CheckOperator(c, scalar), OperationKind.Binary, OperationKind.Unary);
            start.RegisterOperationAction(c => CheckOverload(c, scalar), OperationKind.Invocation);
            start.RegisterOperationAction(CheckMember, OperationKind.ObjectCreation, OperationKind.PropertyReference, OperationKind.Conversion);
        });
    }

    private static void CheckArgument(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var argument = (IArgumentOperation)context.Operation;
        if (argument.Parameter is { } p && SymbolEqualityComparer.Default.Equals(p.Type, scalar) && IsTorchSharp(p.ContainingSymbol))
            ReportIfTemporary(context, argument.Value);
    }

    /// <summary>
    /// TorchSharp's arithmetic operators: a Scalar operand is checked like an argument; a number operand becomes a
    /// Scalar inside the operator (<c>t * 2.0</c> calls <c>mul(2.0)</c>), and <c>Tensor + Tensor</c> calls <c>add(Tensor)</c>,
    /// whose alpha is a temporary: both are reported, as the calls they hide would be.
    /// </summary>
    private static void CheckOperator(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var (method, operands) = context.Operation switch
        {
            IBinaryOperation b => (b.OperatorMethod, new[] { b.LeftOperand, b.RightOperand }),
            IUnaryOperation u => (u.OperatorMethod, new[] { u.Operand }),
            _ => (null, System.Array.Empty<IOperation>()),
        };
        if (method is null || !IsTorchSharp(method)) return;
        var reported = false;
        for (var i = 0; i < operands.Length && i < method.Parameters.Length; i++)
        {
            var type = method.Parameters[i].Type;
            if (SymbolEqualityComparer.Default.Equals(type, scalar)) reported |= ReportIfTemporary(context, operands[i]);
            else if (IsNumber(type)) reported |= Report(context, TemporaryScalar, operands[i]);
        }
        if (method.Name is "op_Addition" or "op_Subtraction" && method.Parameters.All(p => p.Type.Name == "Tensor"))
            reported |= Report(context, ImplicitAlpha, context.Operation, "alpha");
        if (!reported) ReportIfMaker(context, method);
    }

    private static bool IsNumber(ITypeSymbol type) => type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
        or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Byte or SpecialType.System_SByte
        or SpecialType.System_Int16 or SpecialType.System_Boolean;

    private static bool Report(OperationAnalysisContext context, DiagnosticDescriptor rule, IOperation value, params object[] more)
    {
        context.ReportDiagnostic(Diagnostic.Create(rule, value.Syntax.GetLocation(), new object[] { value.Syntax.ToString() }.Concat(more).ToArray()));
        return true;
    }

    private static bool ReportIfTemporary(OperationAnalysisContext context, IOperation value)
    {
        if (value is IDefaultValueOperation or ILiteralOperation { ConstantValue: { HasValue: true, Value: null } }) return false;   // null: no Scalar at all
        return !IsHeld(value) && Report(context, TemporaryScalar, value);
    }

    /// <summary>Held for the whole call: a field or property (its owner outlives the call), a parameter, a local disposed
    /// after it, or an element of an array that is itself held.</summary>
    private static bool IsHeld(IOperation value) => value switch
    {
        IFieldReferenceOperation or IPropertyReferenceOperation or IParameterReferenceOperation => true,
        ILocalReferenceOperation local => IsUsingLocal(local.Local),
        IArrayElementReferenceOperation element => IsHeld(element.ArrayReference),
        _ => false,
    };

    private static bool IsUsingLocal(ILocalSymbol local) =>
        local.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).Any(s =>
            s.Parent is VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 } or UsingStatementSyntax });

    /// <summary>Only TorchSharp's own methods hand a Scalar to native code; a Scalar passed to ours is checked where it reaches one.</summary>
    private static bool IsTorchSharp(ISymbol symbol) => TorchSharpSymbols.IsTorchSharp(symbol);

    /// <summary>GG0002: a TorchSharp method with a sibling overload that takes the same parameters and one Scalar more;
    /// else GG0003 if it is a maker (the sibling tells the user what to call instead, so it is the better report).</summary>
    private static void CheckOverload(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var method = ((IInvocationOperation)context.Operation).TargetMethod;
        if (!IsTorchSharp(method)) return;
        foreach (var sibling in method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>())
        {
            if (sibling.Parameters.Length != method.Parameters.Length + 1) continue;
            var extra = sibling.Parameters[sibling.Parameters.Length - 1];
            if (!SymbolEqualityComparer.Default.Equals(extra.Type, scalar) || extra.IsOptional) continue;
            if (!method.Parameters.Zip(sibling.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same)) continue;
            context.ReportDiagnostic(Diagnostic.Create(ImplicitAlpha, context.Operation.Syntax.GetLocation(),
                method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat), extra.Name));
            return;
        }
        ReportIfMaker(context, method);
    }

    /// <summary>GG0003 for the calls that hide in syntax: <c>new</c>, a property, a user-defined conversion (<c>(float)t</c>).</summary>
    private static void CheckMember(OperationAnalysisContext context)
    {
        var methods = context.Operation switch
        {
            IObjectCreationOperation creation => new[] { creation.Constructor },
            IPropertyReferenceOperation property => new[] { property.Property.GetMethod, property.Property.SetMethod },
            IConversionOperation conversion => new[] { conversion.OperatorMethod },
            _ => System.Array.Empty<IMethodSymbol?>(),
        };
        foreach (var method in methods)
            if (method is not null && IsTorchSharp(method) && ReportIfMaker(context, method)) return;
    }

    private static bool ReportIfMaker(OperationAnalysisContext context, IMethodSymbol method)
    {
        if (!ScalarMakers.Keys.Contains(Key(method))) return false;
        context.ReportDiagnostic(Diagnostic.Create(MakesScalarInside, context.Operation.Syntax.GetLocation(),
            method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
        return true;
    }

    /// <summary>A method as metadata names it, <c>TorchSharp.torch+Tensor::square()</c>: the form ScalarMakers.txt lists,
    /// written from TorchSharp.dll's IL by the tests (tests/Training.Tests/Analyzers/ScalarMakerScan.cs).</summary>
    public static string Key(IMethodSymbol method)
    {
        method = (method.ReducedFrom ?? method).OriginalDefinition;
        return $"{TypeKey(method.ContainingType)}::{method.MetadataName}({string.Join(",", method.Parameters.Select(p => TypeName(p.Type) + (p.RefKind == RefKind.None ? "" : "&")))})";
    }

    private static string TypeKey(INamedTypeSymbol type) =>
        type.ContainingType is { } outer ? $"{TypeKey(outer)}+{type.MetadataName}"
        : type.ContainingNamespace is { IsGlobalNamespace: false } ns ? $"{ns.ToDisplayString()}.{type.MetadataName}" : type.MetadataName;

    private static string TypeName(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => $"{TypeName(array.ElementType)}[{new string(',', array.Rank - 1)}]",
        IPointerTypeSymbol pointer => TypeName(pointer.PointedAtType) + "*",
        ITypeParameterSymbol parameter => (parameter.TypeParameterKind == TypeParameterKind.Method ? "!!" : "!") + parameter.Ordinal,
        INamedTypeSymbol { IsGenericType: true } generic => $"{generic.MetadataName}<{string.Join(",", generic.TypeArguments.Select(TypeName))}>",
        _ => type.MetadataName,
    };
}
