using System.Text.RegularExpressions;

namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>The metric names a PromQL expression reads (enough PromQL for dashboard queries: selectors, functions,
/// aggregations with by/without, range and subquery brackets, binary operators, numbers).</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords =
        ["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"];

    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var s = Strings().Replace(expr, "\"\"");
        s = Matchers().Replace(s, " ");
        s = Ranges().Replace(s, " ");
        s = Grouping().Replace(s, " ");
        var names = new HashSet<string>();
        foreach (Match m in Identifiers().Matches(s))
        {
            var after = s[(m.Index + m.Length)..].TrimStart();
            if (after.StartsWith('(') || Keywords.Contains(m.Value.ToLowerInvariant())) continue;
            names.Add(m.Value);
        }
        return names;
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w$.])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifiers();
}
