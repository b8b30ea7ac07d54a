using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;

namespace GradGuessCluster.Training.Tests;

/// <summary>
/// Which libtorch a record names: the one <c>GRADGUESS_LIBTORCH</c> points at, with the version a pip install writes
/// beside it, not the version TorchSharp was built for (a GPU bench once said "libtorch 2.10" while running 2.11).
/// The variable is process-wide state, hence the collection.
/// </summary>
[Collection(ProcessWideState.Name)]
public sealed class LibTorchDescriptionTests : IDisposable
{
    private readonly string _torch = Directory.CreateTempSubdirectory("gg-torch-").FullName;
    private readonly string? _saved = Environment.GetEnvironmentVariable(TorchRuntime.LibTorchDirVariable);

    // Initialised before the variable changes: it is read once, at initialisation, to load libtorch.
    public LibTorchDescriptionTests() => TorchRuntime.EnsureInitialised();

    [Fact]
    public void AnExternalLibTorch_IsNamedWithTheVersionBesideIt()
    {
        var lib = Directory.CreateDirectory(Path.Combine(_torch, "lib")).FullName;
        File.WriteAllText(Path.Combine(_torch, "version.py"), "from typing import Optional\n__version__ = '2.11.0+cu130'\ncuda: Optional[str] = '13.0'\n");
        Environment.SetEnvironmentVariable(TorchRuntime.LibTorchDirVariable, lib);
        Assert.Equal($"libtorch 2.11.0+cu130 from {lib} (TorchSharp built for {TorchSharp.torch.__version__})", TorchRuntime.LibTorchDescription());

        File.Delete(Path.Combine(_torch, "version.py"));
        Assert.StartsWith($"libtorch of unknown version from {lib}", TorchRuntime.LibTorchDescription());
    }

    [Fact]
    public void WithoutTheVariable_TorchSharpsOwnLibTorchIsNamed()
    {
        Environment.SetEnvironmentVariable(TorchRuntime.LibTorchDirVariable, null);
        Assert.Equal($"libtorch {TorchSharp.torch.__version__}", TorchRuntime.LibTorchDescription());
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(TorchRuntime.LibTorchDirVariable, _saved);
        Directory.Delete(_torch, recursive: true);
    }
}
