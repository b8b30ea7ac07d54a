namespace GradGuessCluster.Client.Tests.Local;

/// <summary>Spec files for the local-command tests, written into a test's temp directory.</summary>
internal static class LocalSpecs
{
    public static string Write(string directory, string name, int epochs, int checkpointEvery = 2, int train = 1024, int width = 32,
        string learningRates = "1.0e-2, 1.0e-3")
    {
        var path = Path.Combine(directory, name + ".yaml");
        File.WriteAllText(path, $"""
            name: {name}
            data: {"{"} set: synthetic, train: {train}, test: 256, features: 32 {"}"}
            model: {"{"} depth: 2, width: {width} {"}"}
            methods: [backprop, wt]
            optimizers: [adamw]
            learningRates: [{learningRates}]
            seeds: [0]
            epochs: {epochs}
            batchSize: 64
            checkpointEvery: {checkpointEvery}
            """);
        return path;
    }

    public static string RepoRoot => global::GradGuessCluster.Tests.Shared.RepoRoot.Path;
}
