namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>Paths already reported. A path is related to one when it is the same field or one is inside the other (a
/// reported item error makes "the list is empty" redundant); answered by lookups, not a scan of every reported path.</summary>
internal sealed class ReportedPaths
{
    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);
    private readonly HashSet<string> _outer = new(StringComparer.Ordinal);

    public ReportedPaths(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            _paths.Add(path);
            foreach (var outer in Outer(path)) _outer.Add(outer);
        }
    }

    public bool Related(string path) => _paths.Contains(path) || _outer.Contains(path) || Outer(path).Any(_paths.Contains);

    /// <summary>The fields <paramref name="path"/> is inside: "data" for "data.dir", "seeds" for "seeds[2]".</summary>
    private static IEnumerable<string> Outer(string path)
    {
        for (var i = 1; i < path.Length; i++)
            if (path[i] is '.' or '[') yield return path[..i];
    }
}
