using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace GradGuessCluster.Training.Tests.Analyzers;

/// <summary>
/// Reads TorchSharp.dll's IL to find its public methods that make a Scalar inside (an implicit conversion, a
/// <c>ToScalar</c>, or <c>new Scalar</c>), directly or through any method they call: the list rule GG0003 of
/// build/Analyzers/TorchScalarAnalyzer.cs must hold. Methods are keyed as <c>TorchScalarAnalyzer.Key</c> keys them.
/// A virtual call counts for the method it names, not for its overrides: <c>module.call(x)</c> on a module typed as its
/// base is not flagged where the override's <c>forward</c> is (LeakyReLU's); this project writes its own layers.
/// </summary>
public static class ScalarMakerScan
{
    public static SortedSet<string> PublicMakers(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var makes = new HashSet<MethodDefinitionHandle>();
        var callers = new Dictionary<MethodDefinitionHandle, List<MethodDefinitionHandle>>();
        foreach (var handle in md.MethodDefinitions)
        {
            var method = md.GetMethodDefinition(handle);
            if (method.RelativeVirtualAddress == 0 || IsScalarFactory(md, method)) continue;
            foreach (var callee in Callees(pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader()))
            {
                var (type, name, definition) = Describe(md, callee);
                if (type == "TorchSharp.Scalar" && name is "op_Implicit" or ".ctor" || name == "ToScalar") makes.Add(handle);
                if (definition is { } d)
                {
                    if (!callers.TryGetValue(d, out var list)) callers[d] = list = [];
                    list.Add(handle);
                }
            }
        }
        // A method that calls a maker hands on the maker's temporary: close over callers.
        var all = new HashSet<MethodDefinitionHandle>(makes);
        var queue = new Queue<MethodDefinitionHandle>(makes);
        while (queue.TryDequeue(out var m))
            foreach (var caller in callers.GetValueOrDefault(m) ?? [])
                if (all.Add(caller)) queue.Enqueue(caller);
        return new SortedSet<string>(all.Select(md.GetMethodDefinition).Where(m => IsVisible(md, m)).Select(m => Key(md, m)), StringComparer.Ordinal);
    }

    /// <summary>Scalar's own members and the <c>ToScalar</c>-like factories return the Scalar they make: the caller holds it.</summary>
    private static bool IsScalarFactory(MetadataReader md, MethodDefinition method) =>
        TypeName(md, method.GetDeclaringType()) == "TorchSharp.Scalar" || md.GetString(method.Name) == "ToScalar"
        || method.DecodeSignature(new TypeKeys(), null).ReturnType == "Scalar";

    private static bool IsVisible(MetadataReader md, MethodDefinition method)
    {
        if ((method.Attributes & MethodAttributes.MemberAccessMask) != MethodAttributes.Public) return false;
        for (var t = md.GetTypeDefinition(method.GetDeclaringType()); ; t = md.GetTypeDefinition(t.GetDeclaringType()))
        {
            var visibility = t.Attributes & TypeAttributes.VisibilityMask;
            if (visibility == TypeAttributes.Public) return true;
            if (visibility != TypeAttributes.NestedPublic) return false;
        }
    }

    private static string Key(MetadataReader md, MethodDefinition method) =>
        $"{TypeName(md, method.GetDeclaringType())}::{md.GetString(method.Name)}({string.Join(",", method.DecodeSignature(new TypeKeys(), null).ParameterTypes)})";

    private static string TypeName(MetadataReader md, TypeDefinitionHandle handle)
    {
        var type = md.GetTypeDefinition(handle);
        var outer = type.GetDeclaringType();
        return outer.IsNil ? $"{md.GetString(type.Namespace)}.{md.GetString(type.Name)}" : $"{TypeName(md, outer)}+{md.GetString(type.Name)}";
    }

    private static (string Type, string Name, MethodDefinitionHandle? Definition) Describe(MetadataReader md, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
                var def = md.GetMethodDefinition((MethodDefinitionHandle)handle);
                return (TypeName(md, def.GetDeclaringType()), md.GetString(def.Name), (MethodDefinitionHandle)handle);
            case HandleKind.MemberReference:
                var member = md.GetMemberReference((MemberReferenceHandle)handle);
                var parent = member.Parent.Kind switch
                {
                    HandleKind.TypeDefinition => TypeName(md, (TypeDefinitionHandle)member.Parent),
                    HandleKind.TypeReference => md.GetString(md.GetTypeReference((TypeReferenceHandle)member.Parent).Namespace) + "."
                        + md.GetString(md.GetTypeReference((TypeReferenceHandle)member.Parent).Name),
                    _ => "",   // a generic instantiation: the calls that matter here are to plain types
                };
                return (parent, md.GetString(member.Name), null);
            case HandleKind.MethodSpecification:
                return Describe(md, md.GetMethodSpecification((MethodSpecificationHandle)handle).Method);
            default:
                return ("", "", null);
        }
    }

    /// <summary>The methods a body calls, creates with, or takes the address of (ECMA-335 III: call, callvirt, newobj, ldftn,
    /// ldvirtftn). A wrong operand size would read the rest of the body out of step: its tokens would then name other
    /// tables, or the reader would run past the body's end, and both throw.</summary>
    private static IEnumerable<EntityHandle> Callees(BlobReader il)
    {
        var found = new List<EntityHandle>();
        while (il.RemainingBytes > 0)
        {
            int op = il.ReadByte();
            if (op == 0xFE) op = 0xFE00 | il.ReadByte();
            if (op is 0x28 or 0x6F or 0x73 or 0xFE06 or 0xFE07)
            {
                var callee = MetadataTokens.EntityHandle(il.ReadInt32());
                if (callee.Kind is not (HandleKind.MethodDefinition or HandleKind.MemberReference or HandleKind.MethodSpecification))
                    throw new InvalidDataException($"IL read out of step: opcode 0x{op:X} names a {callee.Kind} at offset {il.Offset - 4}");
                found.Add(callee);
            }
            else if (op == 0x45) il.Offset += 4 * il.ReadInt32();   // switch: a count, then that many targets
            else il.Offset += OperandSize(op);
        }
        return found;
    }

    private static int OperandSize(int op) => op switch
    {
        0xFE09 or 0xFE0A or 0xFE0B or 0xFE0C or 0xFE0D or 0xFE0E => 2,   // ldarg, ldarga, starg, ldloc, ldloca, stloc
        0xFE12 or 0xFE19 => 1,                                           // unaligned., no.
        0xFE15 or 0xFE16 or 0xFE1C => 4,                                 // initobj, constrained., sizeof
        >= 0xFE00 => 0,
        >= 0x0E and <= 0x13 or 0x1F or >= 0x2B and <= 0x37 or 0xDE => 1, // short local, ldc.i4.s, short branches, leave.s
        0x21 or 0x23 => 8,                                               // ldc.i8, ldc.r8
        0x20 or 0x22 or 0x27 or 0x29 or >= 0x38 and <= 0x44 or >= 0x70 and <= 0x75 or 0x79 or >= 0x7B and <= 0x81
            or 0x8C or 0x8D or 0x8F or 0xA3 or 0xA4 or 0xA5 or 0xC2 or 0xC6 or 0xD0 or 0xDD => 4,
        _ => 0,
    };

    /// <summary>Parameter types written as <c>TorchScalarAnalyzer.Key</c> writes them from Roslyn symbols.</summary>
    private sealed class TypeKeys : ISignatureTypeProvider<string, object?>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);
        public string GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, context);
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => $"{genericType}<{string.Join(",", typeArguments)}>";
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetArrayType(string elementType, ArrayShape shape) => $"{elementType}[{new string(',', shape.Rank - 1)}]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetGenericMethodParameter(object? context, int index) => "!!" + index;
        public string GetGenericTypeParameter(object? context, int index) => "!" + index;
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) => elementType;
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
    }
}
