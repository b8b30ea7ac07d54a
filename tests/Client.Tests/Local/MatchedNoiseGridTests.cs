using System.Text.Json.Nodes;
using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary>The bias experiment in one sweep: <c>matched-noise@C</c> methods put the oracle at several cosines in one
/// grid, a results row each, and train exactly as a plain <c>matched-noise</c> with <c>estimator.matchedCosine: C</c>.</summary>
public sealed class MatchedNoiseGridTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-oracles-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void OracleAtTwoCosines_IsTwoRows_EachAtItsCosine_AndTrainsAsThePlainOracleDoes()
    {
        var state = Path.Combine(_dir, "state");
        Run(state, "oracles", "[matched-noise@0.2, matched-noise@0.05]", "");
        Run(state, "plain", "[matched-noise]", "\nestimator: { matchedCosine: 0.2 }");

        var results = JsonNode.Parse(CliRunner.Run("results", "oracles", "--state-dir", state, "--json").Stdout)!["rows"]!.AsArray();
        Assert.Equal(["matched-noise@0.2", "matched-noise@0.05"], results.Select(r => (string)r!["method"]!));

        var oracles = Export(state, "oracles");
        var plain = Export(state, "plain");
        foreach (var (method, cosine) in new[] { ("matched-noise@0.2", 0.2), ("matched-noise@0.05", 0.05) })
            Assert.All(oracles.Where(r => (string?)r!["method"] == method), r => Assert.Equal(cosine, (double)r!["cosineSimilarity"]!, 4));
        var at02 = oracles.Where(r => (string?)r!["method"] == "matched-noise@0.2").ToList();
        Assert.Equal(plain.Count, at02.Count);
        foreach (var (o, p) in at02.Zip(plain))
            foreach (var field in new[] { "lr", "epoch", "trainLoss", "trainAccuracy", "testAccuracy", "cosineSimilarity" })
                Assert.Equal(p![field]?.ToJsonString(), o![field]?.ToJsonString());
    }

    private void Run(string state, string name, string methods, string extra)
    {
        var spec = LocalSpecs.Write(_dir, name, epochs: 2, extra: "diagnostics: { cosineEvery: 4 }" + extra);
        File.WriteAllText(spec, File.ReadAllText(spec).Replace("methods: [backprop, wt]", "methods: " + methods, StringComparison.Ordinal));
        LocalSpecs.Run(spec, state);
    }

    private static List<JsonNode?> Export(string state, string sweep)
    {
        var export = CliRunner.Run("export", sweep, "--state-dir", state, "--format", "json", "--all-epochs");
        Assert.True(export.ExitCode == 0, export.Stderr);
        return [.. JsonNode.Parse(export.Stdout)!.AsArray()];
    }
}
