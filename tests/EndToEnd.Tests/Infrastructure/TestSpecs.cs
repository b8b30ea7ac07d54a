using System.Globalization;

namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>Sweep specs for end-to-end runs: the seeded synthetic set (or <c>data</c>) and a tiny MLP (width 16), so cells
/// take seconds.</summary>
public static class TestSpecs
{
    public static string Write(TempDirectory dir, string name, string[] methods, string[] optimizers, double[] lrs, int[] seeds,
        int epochs, int checkpointEvery = 5, int cosineEvery = 0, string packing = "none", string data = "{ set: synthetic }")
    {
        static string List<T>(IEnumerable<T> items) => "[" + string.Join(", ", items.Select(i => Convert.ToString(i, CultureInfo.InvariantCulture))) + "]";
        var yaml = $"""
            name: {name}
            data: {data}
            model: {"{ depth: 2, width: 16 }"}
            methods: {List(methods)}
            optimizers: {List(optimizers)}
            learningRates: {List(lrs.Select(l => l.ToString("0.0##e+0", CultureInfo.InvariantCulture)))}
            seeds: {List(seeds)}
            epochs: {epochs}
            batchSize: 128
            evaluateEvery: 1
            checkpointEvery: {checkpointEvery}
            diagnostics: {"{ cosineEvery: " + cosineEvery + " }"}
            packing: {packing}
            """;
        var path = dir.Combine(name + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
