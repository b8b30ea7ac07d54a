namespace GradGuessCluster.Grains.Cells;

/// <summary>Whether an exception is a GPU running out of memory. A GPU's memory is shared (several packs on one device with
/// <c>SlotsPerGpu</c> above 1, other processes), so this can pass, unlike the failures that end a pack's cells. libtorch's
/// out-of-memory error reaches .NET through TorchSharp as an exception whose message starts so (there is no type for it).</summary>
internal static class DeviceOutOfMemory
{
    private const string CudaOutOfMemory = "CUDA out of memory";

    public static bool Is(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner.Message.Contains(CudaOutOfMemory, StringComparison.Ordinal)) return true;
        return false;
    }
}
