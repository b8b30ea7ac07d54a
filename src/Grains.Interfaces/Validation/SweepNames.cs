namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>
/// Sweep names (<c>[a-z0-9-]</c>, at most 64 characters, starting with a letter or digit) and cell/pack ids (lower-case
/// hex). Every name and id is checked here before it becomes part of a grain key, storage key or file path, so none can
/// escape the state or checkpoint directory.
/// </summary>
public static class SweepNames
{
    public const int MaxLength = 64;

    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= MaxLength } && IsAlphanumeric(name[0]) && name.All(c => IsAlphanumeric(c) || c == '-');

    /// <summary>The reason <paramref name="name"/> is not a valid sweep name; null when it is.</summary>
    public static string? Problem(string? name) => name switch
    {
        null or "" => "required: a name of [a-z0-9-]",
        { Length: > MaxLength } => $"at most {MaxLength} characters (got {name.Length})",
        _ when !IsValid(name) => $"'{SpecYamlNodes.Shorten(name)}' must use only lower-case letters, digits and '-', starting with a letter or digit",
        _ => null,
    };

    public static void EnsureValid(string name)
    {
        if (Problem(name) is { } problem) throw new SpecValidationException([new SpecError("name", problem)]);
    }

    /// <summary>Cell and pack ids: lower-case hex, 8–64 characters.</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: >= 8 and <= 64 } && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    private static bool IsAlphanumeric(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';
}
