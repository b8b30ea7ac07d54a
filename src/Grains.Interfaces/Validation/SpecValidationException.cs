namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>
/// A sweep spec was rejected. Carries every <see cref="SpecError"/>; the message is one line that names them all, so the
/// CLI can print it as is (exit code 2). Crosses grain calls (the coordinator validates too).
/// </summary>
[GenerateSerializer, Alias("gg.SpecValidationException")]
public sealed class SpecValidationException : Exception
{
    public SpecValidationException(IReadOnlyList<SpecError> errors, string? source = null)
        : this(errors, source, source is null ? "invalid sweep spec" : $"invalid sweep spec {source}")
    {
    }

    /// <param name="summary">What the one-line message starts with (default "invalid sweep spec [source]").</param>
    public SpecValidationException(IReadOnlyList<SpecError> errors, string? source, string summary)
        : base(Summarise(errors, summary))
    {
        Errors = errors;
        SpecSource = source;
    }

    /// <summary>Every problem found, in the order of the spec's fields.</summary>
    [Id(0)]
    public IReadOnlyList<SpecError> Errors { get; }

    /// <summary>The spec's file name (or another label), when known.</summary>
    [Id(1)]
    public string? SpecSource { get; }

    /// <summary>Errors the message names; the rest are counted (a generated spec within the size cap can have hundreds of
    /// thousands, some 10 MB of one line). <see cref="Errors"/> keeps them all.</summary>
    public const int ErrorsNamed = 20;

    private static string Summarise(IReadOnlyList<SpecError> errors, string prefix)
    {
        var body = string.Join("; ", errors.Take(ErrorsNamed).Select(e => e.ToString()))
                   + (errors.Count > ErrorsNamed ? $"; and {errors.Count - ErrorsNamed} more" : "");
        var text = errors.Count == 1 ? $"{prefix}: {body}" : $"{prefix} ({errors.Count} errors): {body}";
        return text.ReplaceLineEndings(" ");
    }
}
