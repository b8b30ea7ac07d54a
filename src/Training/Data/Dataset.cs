using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Data;

/// <summary>
/// A classification data set held as tensors: flattened, normalised float32 features [N, F] and int64 labels [N],
/// for the training and the test split, on one device.
/// Ownership: whoever creates a data set (e.g. <see cref="DatasetLoader.Load"/>) owns and disposes it. A data set
/// handed out by <see cref="DatasetCache"/> belongs to the cache and is shared by every caller in the process;
/// its <see cref="Dispose"/> does nothing, so a stray <c>using</c> cannot pull the tensors from under other cells.
/// </summary>
public sealed class Dataset : IDisposable
{
    public Dataset(string name, Tensor trainX, Tensor trainY, Tensor testX, Tensor testY, int classes, string? digest = null)
    {
        CheckLabels(name, "training", trainY, classes);
        CheckLabels(name, "test", testY, classes);
        Name = name;
        Digest = digest;
        TrainX = trainX.DetachFromDisposeScope();
        TrainY = trainY.DetachFromDisposeScope();
        TestX = testX.DetachFromDisposeScope();
        TestY = testY.DetachFromDisposeScope();
        Classes = classes;
    }

    public string Name { get; }
    /// <summary>The content's <see cref="DataDigest"/>; null for a set built in code rather than loaded (tests).</summary>
    public string? Digest { get; }
    /// <summary>Training features, float32 [N_train, F].</summary>
    public Tensor TrainX { get; }
    /// <summary>Training labels, int64 [N_train] in [0, Classes).</summary>
    public Tensor TrainY { get; }
    /// <summary>Test features, float32 [N_test, F].</summary>
    public Tensor TestX { get; }
    /// <summary>Test labels, int64 [N_test].</summary>
    public Tensor TestY { get; }
    public int Classes { get; }
    public int Features => (int)TrainX.shape[1];
    public long TrainCount => TrainX.shape[0];
    public long TestCount => TestX.shape[0];
    public Device Device => TrainX.device;

    /// <summary>Labels out of range are refused here, once: the CPU loss checks each batch's, but on a GPU the loss's gather
    /// would hit a device-side assert, which takes down the CUDA context of every pack on that device. (The file readers
    /// check their labels too; this is for sets built in code.)</summary>
    private static void CheckLabels(string name, string split, Tensor labels, int classes)
    {
        if (labels.numel() == 0) return;
        using var scope = NewDisposeScope();
        long min = labels.min().item<long>(), max = labels.max().item<long>();
        if (min < 0 || max >= classes)
            throw new ArgumentException($"{name}: {split} labels run from {min} to {max}, outside 0..{classes - 1}");
    }

    /// <summary>A copy on another device (the same object when already there).</summary>
    public Dataset To(Device device) =>
        device.type == Device.type && device.index == Device.index
            ? this
            : new Dataset(Name, TrainX.to(device), TrainY.to(device), TestX.to(device), TestY.to(device), Classes, Digest);

    /// <summary>True when <see cref="DatasetCache"/> owns this data set (then <see cref="Dispose"/> is a no-op).</summary>
    public bool IsShared { get; private set; }

    internal Dataset MarkShared()
    {
        IsShared = true;
        return this;
    }

    public void Dispose()
    {
        if (!IsShared) Release();
    }

    /// <summary>Frees the tensors whoever owns the set (the cache's way out).</summary>
    internal void Release()
    {
        TrainX.Dispose();
        TrainY.Dispose();
        TestX.Dispose();
        TestY.Dispose();
    }
}
