using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>Typed reads of YAML nodes that record a <see cref="SpecError"/> (and return null) instead of throwing, so
/// that one pass finds every problem of a spec.</summary>
internal sealed class SpecYamlNodes
{
    public List<SpecError> Errors { get; } = [];

    public void Error(string path, string message) => Errors.Add(new SpecError(path, message));

    /// <summary>The path of <paramref name="key"/> under <paramref name="path"/>; the key as <see cref="Shorten"/> quotes a
    /// value, since it is the spec's text too (a key of escapes reached the terminal as they were).</summary>
    public static string Join(string path, string key) => path.Length == 0 ? Shorten(key) : path + "." + Shorten(key);

    /// <summary>The fields of a mapping; unknown keys are errors naming the nearest known key.</summary>
    public Dictionary<string, YamlNode> Fields(YamlNode node, string path, IReadOnlyList<string> known)
    {
        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (node is not YamlMappingNode map)
        {
            Error(path, $"expected a mapping with fields {string.Join(", ", known)}");
            return fields;
        }
        // YamlDotNet refuses a repeated key only when its tag matches too (`!!str epochs` slips past `epochs`).
        var seen = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!seen.TryAdd(key, keyNode))
                Error(Join(path, key), $"given twice (first at line {seen[key].Start.Line}, again at line {keyNode.Start.Line}): a field may appear once");
            else if (known.Contains(key)) fields[key] = value;
            else Error(Join(path, key), UnknownField(key, known));
        }
        return fields;
    }

    /// <summary>A scalar's text; null for a null value (<c>~</c>, <c>null</c>, empty) or, with an error, a non-scalar.</summary>
    public string? Scalar(YamlNode node, string path)
    {
        if (node is not YamlScalarNode scalar)
        {
            Error(path, "expected a single value, not a list or mapping");
            return null;
        }
        var quoted = scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted;
        return !quoted && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL" ? null : scalar.Value;
    }

    public string? String(YamlNode node, string path) => Scalar(node, path);

    public int? Int(YamlNode node, string path)
    {
        var text = Scalar(node, path);
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        var digits = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        Error(path, digits.Length > 0 && digits.All(char.IsAsciiDigit)
            ? $"out of range: an integer here is between {int.MinValue} and {int.MaxValue} (got '{Shorten(text)}')"
            : $"expected an integer (got '{Shorten(text)}')");
        return null;
    }

    public double? Double(YamlNode node, string path)
    {
        var text = Scalar(node, path);
        if (text is null) return null;
        switch (text.ToLowerInvariant())
        {
            case ".nan": return double.NaN;
            case ".inf" or "+.inf": return double.PositiveInfinity;
            case "-.inf": return double.NegativeInfinity;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        Error(path, $"expected a number (got '{Shorten(text)}')");
        return null;
    }

    public bool? Bool(YamlNode node, string path)
    {
        var text = Scalar(node, path);
        if (text is null) return null;
        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "on": return true;
            case "false" or "no" or "off": return false;
        }
        Error(path, $"expected true or false (got '{Shorten(text)}')");
        return null;
    }

    public List<double> DoubleList(YamlNode node, string path) => List(node, path, (n, p) => Double(n, p) is { } v ? (true, v) : (false, 0.0));

    public List<int> IntList(YamlNode node, string path) => List(node, path, (n, p) => Int(n, p) is { } v ? (true, v) : (false, 0));

    public List<string> StringList(YamlNode node, string path) => List(node, path, (n, p) => String(n, p) is { } v ? (true, v) : (false, ""));

    /// <summary>A list (a single value counts as a one-item list). An item that fails to read, or is empty (<c>~</c>, a bare
    /// <c>-</c>), is an error at its own index and leaves a placeholder in its place, so that later items keep their
    /// indices in the validator's messages (which skip the reported path; the spec is refused anyway).</summary>
    private List<T> List<T>(YamlNode node, string path, Func<YamlNode, string, (bool Read, T Value)> item)
    {
        var items = new List<T>();
        foreach (var (child, childPath) in Items(node, path))
        {
            var before = Errors.Count;
            var (read, value) = item(child, childPath);
            if (!read && Errors.Count == before) Error(childPath, "empty value");
            items.Add(value);
        }
        return items;
    }

    /// <summary>One of <paramref name="allowed"/> (case-sensitive, as written in the spec format).</summary>
    public string? OneOf(YamlNode node, string path, IReadOnlyList<string> allowed)
    {
        var text = Scalar(node, path);
        if (text is null || allowed.Contains(text)) return text;
        Error(path, $"'{Shorten(text)}' is not one of {string.Join(", ", allowed)}{NearestName.Hint(text, allowed)}");
        return null;
    }

    /// <summary>The items of a list with their paths (<c>rowRates[0]</c>); none for a null value, an error for a mapping.</summary>
    public IEnumerable<(YamlNode Node, string Path)> Items(YamlNode node, string path)
    {
        switch (node)
        {
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++) yield return (sequence.Children[i], $"{path}[{i}]");
                break;
            case YamlScalarNode when Scalar(node, path) is null:
                break;
            case YamlScalarNode:
                yield return (node, path);
                break;
            default:
                Error(path, "expected a list");
                break;
        }
    }

    private static string UnknownField(string key, IReadOnlyList<string> known) =>
        NearestName.Find(key, known) is { } near
            ? $"unknown field '{Shorten(key)}' (did you mean '{near}'?)"
            : $"unknown field '{Shorten(key)}' (known: {string.Join(", ", known)})";

    /// <summary>A value quoted in an error message: one line, at most 40 characters.</summary>
    public static string Shorten(string text)
    {
        var line = Printable(text);
        return line.Length <= 40 ? line : line[..37] + "...";
    }

    /// <summary>One line without control characters: a value's (from YAML escapes such as "\x1b") would reach the
    /// terminal as they are.</summary>
    public static string Printable(string text) => string.Concat(text.ReplaceLineEndings(" ").Select(c => char.IsControl(c) ? '?' : c));
}
