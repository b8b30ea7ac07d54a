using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary>Spec files for the local-command tests, written into a test's temp directory.</summary>
internal static class LocalSpecs
{
    /// <summary>Runs <paramref name="spec"/> to its end with <c>local</c> in <paramref name="state"/> (no metrics port),
    /// asserting it succeeded.</summary>
    public static void Run(string spec, string state)
    {
        var run = CliRunner.Run("local", spec, "--state-dir", state, "--metrics-port", "0");
        Assert.True(run.ExitCode == 0, run.Stderr);
    }

    public static string Write(string directory, string name, int epochs, int checkpointEvery = 2, int train = 1024, int width = 32,
        string learningRates = "1.0e-2, 1.0e-3", string extra = "")
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
            {extra}
            """);
        return path;
    }

    /// <summary>A sweep 'wide' of 715,007,875 weights and biases a cell (1,000,000 inputs × width 715), packed by learning
    /// rate: a pack holds three learning rates and not four. In a directory of its own per <paramref name="generation"/>.
    /// Only for what runs before training: its packs would need gigabytes.</summary>
    public static string Wide(string directory, string generation, string methods, string learningRates)
    {
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(directory, generation)).FullName, "wide.yaml");
        File.WriteAllText(path, "name: wide\ndata: {set: synthetic, train: 100, test: 10, features: 1000000}\nmodel: {depth: 1, width: 715}\n" +
            $"methods: [{methods}]\noptimizers: [sgd]\nlearningRates: [{learningRates}]\nepochs: 1\npacking: lr\n");
        return path;
    }

    public static string RepoRoot => global::GradGuessCluster.Tests.Shared.RepoRoot.Path;
}
