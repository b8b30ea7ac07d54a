using GradGuessCluster.Training.Runtime;
using TorchSharp;

namespace GradGuessCluster.Training.Tests;

public class TorchRuntimeTests
{
    [Fact]
    public void EnsureInitialised_LoadsLibTorch_AndRunsAMatmul()
    {
        // Fails loudly (not skipped) when the ELF patch or the natives are missing.
        TorchRuntime.EnsureInitialised();
        TorchRuntime.SetThreads(1);
        using var a = torch.ones(2, 3);
        using var b = torch.ones(3, 4);
        using var c = torch.mm(a, b);
        Assert.Equal(3f, c[1, 2].item<float>());
    }
}
