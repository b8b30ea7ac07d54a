namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>The known name a mistyped one was most likely meant as, for "did you mean" hints (spec fields, CLI verbs and
/// options): the closest by edit distance, ignoring case, if within a third of its length (at least 2).</summary>
public static class NearestName
{
    public static string? Find(string given, IEnumerable<string> known)
    {
        var lower = given.ToLowerInvariant();
        var near = known.Select(k => (Key: k, Distance: Distance(lower, k.ToLowerInvariant()))).OrderBy(k => k.Distance).FirstOrDefault();
        return near.Key is not null && near.Distance <= Math.Max(2, given.Length / 3) ? near.Key : null;
    }

    /// <summary>As <see cref="Find"/>, for an option's name, which is also found where it was carried over from another
    /// verb: a name that ends or begins with the known one's words, or the other way round ("--cpu-slots" where plan's
    /// option is "--slots", "--slots" where local's is "--cpu-slots"), too far apart by edit distance for <see cref="Find"/>.
    /// A name ending so (a qualifier before the same noun) is taken before one beginning so; null where two are alike.</summary>
    public static string? FindOption(string given, IEnumerable<string> known)
    {
        var names = known.Distinct().ToList();
        if (Find(given, names) is { } near) return near;
        var bare = Bare(given);
        foreach (var joins in new Func<string, string, bool>[] { (a, b) => a.EndsWith("-" + b, StringComparison.Ordinal), (a, b) => a.StartsWith(b + "-", StringComparison.Ordinal) })
        {
            var matches = names.Where(k => Bare(k) is { Length: > 0 } b && (joins(bare, b) || joins(b, bare))).ToList();
            if (matches.Count > 0) return matches.Count == 1 ? matches[0] : null;
        }
        return null;
    }

    private static string Bare(string option) => option.TrimStart('-').ToLowerInvariant();

    /// <summary>" (did you mean 'adamw'?)" after an error about a near miss of a known value; empty otherwise.</summary>
    public static string Hint(string given, IEnumerable<string> known) => Find(given, known) is { } near ? $" (did you mean '{near}'?)" : "";

    /// <summary>The parenthesised tail of an unknown value's error: the known values (and <paramref name="more"/>, forms
    /// beyond them), led by the likeliest one when the value is a near miss: <c>(did you mean 'adamw'? known: sgd, ...)</c>.</summary>
    public static string KnownList(string given, IReadOnlyCollection<string> known, string? more = null) =>
        $"({(Find(given, known) is { } near ? $"did you mean '{near}'? " : "")}known: {string.Join(", ", known)}{(more is null ? "" : "; " + more)})";

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
