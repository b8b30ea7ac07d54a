using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Loop;

/// <summary>A checkpoint records the numerics its pack computed under (<see cref="NumericsPath"/>); a pack resumed under
/// others says which, and one resumed under the same, or from a checkpoint that records none, says nothing.</summary>
[Collection(ProcessWideState.Name)]   // sets libtorch's thread count
public sealed class NumericsChangeTests : IDisposable
{
    private readonly Dataset _data;
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-numerics-").FullName;
    private readonly PackSpec _spec = new(new DataSource("synthetic"), Depth: 2, Width: 16, new EstimatorSettings(EstimatorKind.Backprop),
        BatchSize: 64, Epochs: 3, DataSeed: 5, [new CellSettings(OptimizerSettings.Default(OptimizerKind.AdamW, 1e-3), 1)]);

    public NumericsChangeTests()
    {
        TinyNets.Init();
        _data = TinyNets.Data(features: 12, train: 256, test: 64);
    }

    [Fact]
    public void Resume_UnderAnotherThreadCount_NamesBothNumerics()
    {
        var path = Path.Combine(_dir, "a.ckpt");
        using (var t = new PackTrainer(_spec, _data, CPU)) { t.RunEpoch(CancellationToken.None); t.SaveCheckpoint(path); }
        var stored = ReadNumerics(path);
        Assert.Equal(NumericsPath.Of(CPU), stored);
        Assert.Contains(", cpu, 1 thread, ", stored);

        using (var same = new PackTrainer(_spec, _data, CPU))
        {
            same.LoadCheckpoint(path);
            Assert.Null(same.NumericsChange);
        }

        try
        {
            TorchRuntime.SetThreads(2);
            using var other = new PackTrainer(_spec, _data, CPU);
            other.LoadCheckpoint(path);
            Assert.Equal(new NumericsChange(stored!, NumericsPath.Of(CPU)), other.NumericsChange);
            Assert.Contains(", cpu, 2 threads, ", other.NumericsChange!.Now);
            Assert.Equal(1, other.EpochsCompleted);   // a note, not a refusal

            other.RunEpoch(CancellationToken.None);
            other.SaveCheckpoint(path);   // the epoch it ran was computed under two threads
            Assert.Equal(other.NumericsChange.Now, ReadNumerics(path));
        }
        finally { TorchRuntime.SetThreads(1); }
    }

    [Fact]
    public void Resume_FromACheckpointThatRecordsNoNumerics_SaysNothing()
    {
        var path = Path.Combine(_dir, "b.ckpt");
        using (var t = new PackTrainer(_spec, _data, CPU)) { t.RunEpoch(CancellationToken.None); t.SaveCheckpoint(path); }
        var state = CheckpointFile.Read(path);
        try { CheckpointFile.Write(path, state with { Numerics = null }); }   // as written before they were kept
        finally { foreach (var t in state.Tensors.Values) t.Dispose(); }

        using var resumed = new PackTrainer(_spec, _data, CPU);
        resumed.LoadCheckpoint(path);
        Assert.Null(resumed.NumericsChange);
        Assert.Equal(1, resumed.EpochsCompleted);
    }

    [Fact]
    public void APackOfSeveralGuesses_RecordsTheirSharedOuterProducts_AndOneWrittenBeforeThemResumesWithANote()
    {
        var guessed = _spec with { Estimator = new EstimatorSettings(EstimatorKind.WTranspose, Guesses: 2) };
        var path = Path.Combine(_dir, "k2.ckpt");
        using (var t = new PackTrainer(guessed, _data, CPU)) { t.RunEpoch(CancellationToken.None); t.SaveCheckpoint(path); }
        var stored = ReadNumerics(path)!;
        Assert.Equal(NumericsPath.Of(CPU) + ", guesses summed before the outer products", stored);

        // One guess, or a method that sums no activation-space guesses, computes as before: nothing added.
        foreach (var same in new[] { new EstimatorSettings(EstimatorKind.WTranspose), new EstimatorSettings(EstimatorKind.Directional, Guesses: 2) })
            Assert.Equal(NumericsPath.Of(CPU), NumericsPath.Of(CPU, same));

        var state = CheckpointFile.Read(path);
        try { CheckpointFile.Write(path, state with { Numerics = NumericsPath.Of(CPU) }); }   // as builds before the shared products wrote it
        finally { foreach (var t in state.Tensors.Values) t.Dispose(); }
        using var resumed = new PackTrainer(guessed, _data, CPU);
        resumed.LoadCheckpoint(path);
        Assert.Equal(new NumericsChange(NumericsPath.Of(CPU), stored), resumed.NumericsChange);
    }

    [Fact]
    public void NumericsPath_OnACpu_NamesLibTorchThreadsMklsPathAndTheFlush()
    {
        var path = NumericsPath.Of(CPU);
        Assert.StartsWith($"libtorch {TorchSharp.torch.__version__}, cpu, 1 thread, ", path);
        Assert.EndsWith((MklVendorCheck.CodePath() is { } code ? $"oneMKL code path {code}" : "no oneMKL") + ", subnormals flushed", path);
    }

    private static string? ReadNumerics(string path)
    {
        var state = CheckpointFile.Read(path);
        foreach (var t in state.Tensors.Values) t.Dispose();
        return state.Numerics;
    }

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
