namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>One problem with a sweep spec: the field's path (<c>learningRates[1]</c>, <c>data.set</c>) and what is wrong.</summary>
[GenerateSerializer, Immutable, Alias("gg.SpecError")]
public sealed record SpecError([property: Id(0)] string Path, [property: Id(1)] string Message)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
