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
        Assert.Contains($"TorchSharp sees {visible} CUDA device{(visible == 1 ? "" : "s")}", error);
    }

    [Fact]
    public void SimulatedGpus_AndAGatewaySiloWithNoTrainingSlots_AreAllowed()
    {
        int beyond = TorchRuntime.CudaDeviceCount() + 1;
        Assert.Empty(SiloHostOptionsValidator.Validate(new SiloHostOptions { GpuCount = beyond, SimulateGpus = true }));
        Assert.Empty(SiloHostOptionsValidator.Validate(new SiloHostOptions { GpuCount = 0, AllowCpuTraining = false }));
    }

    [Fact]
    public void KubernetesHosting_WithIdsThePodsVariablesContradict_IsRefused_BecauseOrleansTakesTheVariables()
    {
        var pod = new Dictionary<string, string?> { ["ORLEANS_SERVICE_ID"] = "gradguess", ["ORLEANS_CLUSTER_ID"] = "blue" };
        static SiloHostOptions Options(string serviceId, bool kubernetes = true) => new()
            { Kubernetes = kubernetes, Clustering = "redis", Storage = "redis", Redis = "127.0.0.1:6379", ServiceId = serviceId, ClusterId = "blue" };
        Assert.Equal(["GradGuess:ServiceId: 'prod2' differs from ORLEANS_SERVICE_ID 'gradguess', which Orleans' Kubernetes hosting uses instead; set them alike"],
            SiloHostOptionsValidator.Validate(Options("prod2"), pod.GetValueOrDefault));
        Assert.Empty(SiloHostOptionsValidator.Validate(Options("gradguess"), pod.GetValueOrDefault));
        Assert.Empty(SiloHostOptionsValidator.Validate(Options("prod2"), _ => null));                        // no pod variables: ours stand
        Assert.Empty(SiloHostOptionsValidator.Validate(Options("prod2", kubernetes: false), pod.GetValueOrDefault));
    }

    [Fact]
    public void KubernetesHosting_WithASiloNameOtherThanThePods_IsRefused_AndWithoutOneTakesThePods()
    {
        // Orleans' Kubernetes hosting names the silo after POD_NAME: logs, /healthz and the gauges said the pod's name
        // while the telemetry's service.instance.id said the one given.
        var pod = new Dictionary<string, string?> { ["POD_NAME"] = "gradguess-silo-0" };
        static SiloHostOptions Options(string? name) => new()
            { Kubernetes = true, Clustering = "redis", Storage = "redis", Redis = "127.0.0.1:6379", SiloName = name };
        Assert.Equal(["GradGuess:SiloName: 'trainer-a' differs from POD_NAME 'gradguess-silo-0', which Orleans' Kubernetes hosting uses instead; set them alike"],
            SiloHostOptionsValidator.Validate(Options("trainer-a"), pod.GetValueOrDefault));
        Assert.Empty(SiloHostOptionsValidator.Validate(Options("gradguess-silo-0"), pod.GetValueOrDefault));
        Assert.Empty(SiloHostOptionsValidator.Validate(Options(null), pod.GetValueOrDefault));
        // Unset, the name the metrics carry is the pod's too, as Orleans' hosting names the silo.
        var before = Environment.GetEnvironmentVariable("POD_NAME");
        try
        {
            Environment.SetEnvironmentVariable("POD_NAME", "gradguess-silo-0");
            Assert.Equal("gradguess-silo-0", Options(null).ResolvedSiloName);
            Assert.Equal("trainer-a", Options("trainer-a").ResolvedSiloName);
            Assert.NotEqual("gradguess-silo-0", new SiloHostOptions().ResolvedSiloName);   // not under Kubernetes
        }
        finally { Environment.SetEnvironmentVariable("POD_NAME", before); }
    }

    [Fact]
    public void FlushToDisk_ReachesTheFileStorage_AndIsRefusedBesideAServersStorage()
    {
        foreach (var flush in new[] { true, false })
        {
            var file = new GradGuessCluster.Grains.Storage.FileGrainStorageOptions();
            StorageSetup.ConfigureFile(new SiloHostOptions { StateDirectory = "/srv/gg", FlushToDisk = flush }, file);
            Assert.Equal(("/srv/gg/state", flush), (file.RootDirectory, file.FlushToDisk));
        }
        Assert.Empty(SiloHostOptionsValidator.Validate(new SiloHostOptions { FlushToDisk = true, AllowCpuTraining = true }));
        Assert.Equal(["GradGuess:FlushToDisk: applies to file storage only; redis storage is as durable as its server is set to be"],
            SiloHostOptionsValidator.Validate(new SiloHostOptions
                { FlushToDisk = true, Clustering = "redis", Storage = "redis", Redis = "127.0.0.1:6379", AllowCpuTraining = true }));
    }

    [Fact]
    public void CpuSlots_WithoutCpuTraining_IsRefused_RatherThanStartingASiloThatTrainsNothing()
    {
        Assert.Equal(["GradGuess:CpuSlots: 4 CPU slots, but CPU training is off: turn it on with AllowCpuTraining (--cpu-training), or leave CpuSlots out"],
            SiloHostOptionsValidator.Validate(new SiloHostOptions { CpuSlots = 4 }));
        Assert.Empty(SiloHostOptionsValidator.Validate(new SiloHostOptions { CpuSlots = 4, AllowCpuTraining = true }));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(86_401)]
    [InlineData(1e11)]   // the slot ledger's "now less this" would fall before year 1
    public void PreemptAfterSeconds_NegativeNotFiniteOrOverADay_IsRefused(double seconds)
    {
        var error = Assert.Single(SiloHostOptionsValidator.Validate(new SiloHostOptions { PreemptAfterSeconds = seconds, AllowCpuTraining = true }));
        Assert.StartsWith("GradGuess:PreemptAfterSeconds: must be >= 0 (0: off) and at most 86400 (a day)", error);
        Assert.Empty(SiloHostOptionsValidator.Validate(new SiloHostOptions { PreemptAfterSeconds = 0, AllowCpuTraining = true }));
        Assert.Empty(SiloHostOptionsValidator.Validate(new SiloHostOptions { PreemptAfterSeconds = 86_400, AllowCpuTraining = true }));
    }

    [Fact]
    public void AdvertisedIp_ThatDoesNotResolve_OrBesideKubernetes_IsRefusedNamingTheKey()
    {
        // Orleans resolved the name while the silo was built: a SocketException naming no setting, exit 1.
        var options = new SiloHostOptions { Clustering = "redis", Storage = "redis", Redis = "127.0.0.1:6379", AllowCpuTraining = true, AdvertisedIp = "no-such.invalid" };
        Assert.StartsWith("GradGuess:AdvertisedIp: 'no-such.invalid' is neither an IP address nor a host name this machine resolves (",
            Assert.Single(SiloHostOptionsValidator.Validate(options)));
        options.AdvertisedIp = "localhost";
        Assert.Empty(SiloHostOptionsValidator.Validate(options));
        // Kubernetes hosting takes POD_IP and dropped it without a word.
        options.AdvertisedIp = "10.0.0.5";
        options.Kubernetes = true;
        Assert.Equal("GradGuess:AdvertisedIp: Kubernetes hosting advertises the pod's IP (POD_IP); leave AdvertisedIp out",
            Assert.Single(SiloHostOptionsValidator.Validate(options)));
    }

    /// <summary>An address no one can connect to is refused by name: Orleans refused 0.0.0.0 only once the host started
    /// (exit 1, in its words), and took an IPv6 one with ListenOnAnyAddress, listening on IPv4 alone.</summary>
    [Theory]
    [InlineData("0.0.0.0", false, "is not an address other silos can reach")]
    [InlineData("::", false, "is not an address other silos can reach")]
    [InlineData("255.255.255.255", true, "is not an address other silos can reach")]
    [InlineData("2001:db8::5", true, "is an IPv6 address, and with ListenOnAnyAddress the silo listens on every IPv4 interface only")]
    [InlineData("2001:db8::5", false, null)]
    [InlineData("10.0.0.5", true, null)]
    public void AdvertisedIp_NoOneCouldReach_IsRefusedNamingTheKey(string address, bool listenOnAny, string? problem)
    {
        var options = new SiloHostOptions
        {
            Clustering = "redis", Storage = "redis", Redis = "127.0.0.1:6379", AllowCpuTraining = true, AdvertisedIp = address, ListenOnAnyAddress = listenOnAny,
        };
        var errors = SiloHostOptionsValidator.Validate(options);
        if (problem is null) Assert.Empty(errors);
        else Assert.StartsWith($"GradGuess:AdvertisedIp: '{address}' {problem}", Assert.Single(errors));
    }

    [Theory]
    [InlineData(nameof(SiloHostOptions.CpuSlots), 2_000_000_000)]   // "unlimited": the ledger's sums over silos overflowed
    [InlineData(nameof(SiloHostOptions.SlotsPerGpu), 1025)]
    [InlineData(nameof(SiloHostOptions.GpuCount), 257)]
    public void SlotCounts_PastTheirBounds_AreRefused(string key, int value)
    {
        var options = new SiloHostOptions { AllowCpuTraining = true, SimulateGpus = true, GpuCount = 1 };
        typeof(SiloHostOptions).GetProperty(key)!.SetValue(options, value);
        Assert.StartsWith($"GradGuess:{key}: must be ", Assert.Single(SiloHostOptionsValidator.Validate(options)));
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
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/b")]
    [InlineData("/etc")]
    [InlineData("a\0b")]
    public void ServiceId_ThatIsNoDirectoryName_IsRefused(string serviceId)
    {
        var error = Assert.Single(SiloHostOptionsValidator.Validate(new SiloHostOptions { ServiceId = serviceId }));
        Assert.StartsWith("GradGuess:ServiceId: '", error);
        Assert.EndsWith("must be usable as a directory name (no '/', not '.' or '..')", error);
        Assert.Empty(SiloHostOptionsValidator.Validate(new SiloHostOptions { ServiceId = "prod.v2-a_b" }));
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
