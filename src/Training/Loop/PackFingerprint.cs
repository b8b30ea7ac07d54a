using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Training.Loop;

/// <summary>Hash of everything that shapes a pack's trajectory (not the epoch count or the evaluation and
/// diagnostics schedule, which only decide what is measured and for how long). The data set counts, not the directory
/// it was read from: <c>x</c> and <c>x/</c> are one place, and a pack resumed on another silo may find its data
/// elsewhere. Checkpoints also keep the hashed configuration itself, so a mismatch can say what differs.</summary>
public static class PackFingerprint
{
    private static readonly JsonSerializerOptions Readable = new() { Converters = { new JsonStringEnumConverter() } };

    public static string Of(PackSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(Shaping.Of(spec))))[..32];

    /// <summary>What the fingerprint hashes, as JSON with named enums (a checkpoint keeps it for <see cref="Compare"/>).</summary>
    public static string Configuration(PackSpec spec) => JsonSerializer.Serialize(Shaping.Of(spec), Readable);

    /// <summary>The pack a stored <see cref="Configuration"/> describes, trained for <paramref name="epochs"/> (the
    /// configuration leaves the schedule out). Throws <see cref="JsonException"/> when it is not one.</summary>
    public static PackSpec Read(string configuration, int epochs)
    {
        var stored = JsonSerializer.Deserialize<Shaping>(configuration, Readable) ?? throw new JsonException("an empty configuration");
        if (stored.Data is null || stored.Estimator is null || stored.Cells is not { Length: > 0 } || stored.Cells.Any(c => c?.Optimizer is null))
            throw new JsonException("a configuration without its data, method or cells");
        return new PackSpec(stored.Data, stored.Depth, stored.Width, stored.Estimator, stored.BatchSize, epochs, stored.DataSeed, stored.Cells,
            InitScale: stored.InitScale, InitDigest: stored.InitDigest);
    }

    /// <summary>What shapes a pack's trajectory, hashed and stored (nullable where a stored configuration may lack it). The
    /// initialisation's scale and the starting weights' digest are left out where unset, last: a pack without them hashes as
    /// before the fields existed.</summary>
    private sealed record Shaping(DataSource? Data, int Depth, int Width, EstimatorSettings? Estimator, int BatchSize, int DataSeed, CellSettings[]? Cells,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? InitScale = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? InitDigest = null)
    {
        public static Shaping Of(PackSpec spec) => new(spec.Data with { Directory = null }, spec.Depth, spec.Width, spec.Estimator, spec.BatchSize,
            spec.DataSeed, [.. spec.Cells], spec.InitScale, spec.InitDigest);
    }

    /// <summary>Where two configurations differ, leaf by leaf (paths such as <c>Cells[0].Optimizer.LearningRate</c>, values
    /// as JSON); none when the stored one is missing (older checkpoints) or unreadable.</summary>
    public static IReadOnlyList<ConfigurationDifference> Compare(string? stored, string current)
    {
        Dictionary<string, string> a, b = Flatten(JsonNode.Parse(current));
        try { a = Flatten(JsonNode.Parse(stored ?? "")); }
        catch (JsonException) { return []; }
        return a.Keys.Union(b.Keys)
            .Where(p => a.GetValueOrDefault(p) != b.GetValueOrDefault(p) && !ExplainedByKind(p, a, b))
            .Select(p => new ConfigurationDifference(p, a.GetValueOrDefault(p) ?? "none", b.GetValueOrDefault(p) ?? "none"))
            .ToList();
    }

    /// <summary>"path: stored X, now Y; ...", at most <paramref name="limit"/> of them, then a count.</summary>
    public static string Describe(IReadOnlyCollection<ConfigurationDifference> differences, int limit = 4)
    {
        var text = string.Join("; ", differences.Take(limit).Select(d => $"{d.Path}: stored {d.Stored}, now {d.Now}"));
        return differences.Count > limit ? $"{text}; and {differences.Count - limit} more" : text;
    }

    /// <summary>A field of a cell whose optimizer kind changed, read by only one of the two kinds: the changed kind says it
    /// (AdamW's β₂ beside an SGD cell is noise).</summary>
    private static bool ExplainedByKind(string path, Dictionary<string, string> a, Dictionary<string, string> b)
    {
        var dot = path.LastIndexOf('.');
        if (dot < 0 || !path[..dot].EndsWith(".Optimizer", StringComparison.Ordinal)) return false;
        var kindPath = path[..dot] + "." + nameof(OptimizerSettings.Kind);
        if (!TryKind(a, kindPath, out var was) || !TryKind(b, kindPath, out var now) || was == now) return false;
        var field = path[(dot + 1)..];
        return !(OptimizerSettings.Reads(was, field) && OptimizerSettings.Reads(now, field));
    }

    private static bool TryKind(Dictionary<string, string> leaves, string path, out OptimizerKind kind)
    {
        kind = default;
        return leaves.TryGetValue(path, out var json) && Enum.TryParse(json.Trim('"'), out kind);
    }

    private static Dictionary<string, string> Flatten(JsonNode? node)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? n, string path)
        {
            switch (n)
            {
                case JsonObject o: foreach (var (k, v) in o) Walk(v, path.Length == 0 ? k : $"{path}.{k}"); break;
                case JsonArray arr: for (var i = 0; i < arr.Count; i++) Walk(arr[i], $"{path}[{i}]"); break;
                default: leaves[path] = n?.ToJsonString() ?? "null"; break;
            }
        }
        Walk(node, "");
        return leaves;
    }
}

/// <summary>A field in which a checkpoint's pack configuration differs from the one now asked for.</summary>
/// <param name="Path">The field, as <c>Width</c> or <c>Cells[0].Optimizer.Kind</c>.</param>
/// <param name="Stored">Its value in the checkpoint, as JSON (<c>"AdamW"</c> with its quotes), or <c>none</c>.</param>
/// <param name="Now">Its value now, likewise.</param>
public sealed record ConfigurationDifference(string Path, string Stored, string Now);
