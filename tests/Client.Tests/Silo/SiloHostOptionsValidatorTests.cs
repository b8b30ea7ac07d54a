using GradGuessCluster.Silo.Hosting;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Client.Tests.Silo;

/// <summary>The silo's GPU count against the devices TorchSharp sees, its time settings, and storage beside clustering.</summary>
public class SiloHostOptionsValidatorTests
{
    [Fact]
    public void GpuCount_MoreThanTorchSharpSees_IsRefusedNamingTheKeyAndTheCount()
    {
        int visible = TorchRuntime.CudaDeviceCount();
        var error = Assert.Single(SiloHostOptionsValidator.Validate(new SiloHostOptions { GpuCount = visible + 1 }));
        Assert.StartsWith("GradGuess:GpuCount: ", error);
        Assert.Contains($"TorchSharp sees {visible} CUDA device(s)", error);
    }

    [Fact]
    public void SimulatedGpus_AndAGatewaySiloWithNoTrainingSlots_AreAllowed()
    {
        int beyond = TorchRuntime.CudaDeviceCount() + 1;
        Assert.Empty(SiloHostOptionsValidator.Validate(new SiloHostOptions { GpuCount = beyond, SimulateGpus = true }));
        Assert.Empty(SiloHostOptionsValidator.Validate(new SiloHostOptions { GpuCount = 0, AllowCpuTraining = false }));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void PreemptAfterSeconds_NegativeOrNotFinite_IsRefused(double seconds)
    {
        var error = Assert.Single(SiloHostOptionsValidator.Validate(new SiloHostOptions { PreemptAfterSeconds = seconds, AllowCpuTraining = true }));
        Assert.StartsWith("GradGuess:PreemptAfterSeconds: must be >= 0 (0: off)", error);
        Assert.Empty(SiloHostOptionsValidator.Validate(new SiloHostOptions { PreemptAfterSeconds = 0, AllowCpuTraining = true }));
    }

    [Theory]
    [InlineData("redis")]
    [InlineData("postgres")]
    public void FileStorage_WithSharedClustering_IsRefused_ForTheSharedStore(string clustering)
    {
        var options = new SiloHostOptions { Clustering = clustering, Redis = "127.0.0.1:6379", Postgres = "Host=db", AllowCpuTraining = true };
        var error = Assert.Single(SiloHostOptionsValidator.Validate(options));
        Assert.Equal($"GradGuess:Storage: file storage is local to one silo; with {clustering} clustering every silo needs the shared store (Storage {clustering})", error);
        options.Storage = clustering;
        Assert.Empty(SiloHostOptionsValidator.Validate(options));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(1e7)]   // past what a cancellation deadline takes: the last silo would stop without suspending its sweeps
    public void ShutdownTimeoutSeconds_OutsideASecondToADay_IsRefused(double seconds)
    {
        var error = Assert.Single(SiloHostOptionsValidator.Validate(new SiloHostOptions { ShutdownTimeoutSeconds = seconds, AllowCpuTraining = true }));
        Assert.StartsWith("GradGuess:ShutdownTimeoutSeconds: must be > 0 and at most 86400 (a day)", error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(TorchRuntime.MaxThreads + 1)]   // a silo asked for 100,000 threads per cell would exhaust the process table
    public void ThreadsPerCell_OutsideOneToTheCap_IsRefused(int threads)
    {
        var error = Assert.Single(SiloHostOptionsValidator.Validate(new SiloHostOptions { ThreadsPerCell = threads, AllowCpuTraining = true }));
        Assert.Equal($"GradGuess:ThreadsPerCell: must be 1 to {TorchRuntime.MaxThreads}, got {threads}", error);
        Assert.Empty(SiloHostOptionsValidator.Validate(new SiloHostOptions { ThreadsPerCell = TorchRuntime.MaxThreads, AllowCpuTraining = true }));
    }
}
