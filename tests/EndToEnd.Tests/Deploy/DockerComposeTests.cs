using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using static GradGuessCluster.EndToEnd.Tests.Infrastructure.YamlTree;

namespace GradGuessCluster.EndToEnd.Tests.Deploy;

/// <summary>docker-compose.yml passes <c>docker-compose config</c> (no engine runs here) and declares the whole stack.</summary>
public sealed class DockerComposeTests
{
    [Fact]
    public async Task DockerCompose_Config_PassesAndDeclaresRedisSilosPrometheusGrafana()
    {
        var run = await ToolRun.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config"], environment: DefaultLimits);
        Assert.True(run.ExitCode == 0, run.ToString());
        var services = Map(LoadMapping(run.Stdout), "services");

        Assert.Contains("redis", services.Keys);
        // It holds every sweep: each write on disk before it is acknowledged (docs/CLUSTER.md's "loses nothing").
        Assert.Equal("redis-server --appendonly yes --appendfsync always", string.Join(' ', List(services["redis"], "command")));
        var silos = services.Where(s => Str(s.Value, "build.dockerfile") is { } d && d.EndsWith("deploy/docker/Dockerfile.cpu")).ToList();
        Assert.True(silos.Count >= 2, "expected at least two CPU silo services");
        foreach (var (name, silo) in silos)
        {
            var env = Map(silo, "environment");
            Assert.Equal("redis", env.GetValueOrDefault("GradGuess__Clustering"));
            Assert.Equal("redis:6379", env.GetValueOrDefault("GradGuess__Redis"));
            Assert.Equal("0.0.0.0", env.GetValueOrDefault("GradGuess__HttpAddress"));
            Assert.Contains(Mounts(silo), m => m.Target == env.GetValueOrDefault("GradGuess__CheckpointDirectory") as string);
            Assert.Contains(Mounts(silo), m => m.Target == "/datasets");   // the images' XDG_CACHE_HOME: downloads shared
            Assert.True(Get(silo, "depends_on.redis") is not null, $"{name} must depend on redis");
            // Its own memory limit: silos sharing the host would otherwise each count all of it for their CPU packs.
            Assert.Equal(8L << 30, Bytes(Str(silo, "mem_limit")));
        }

        var prometheus = services["prometheus"];
        Assert.Contains(Mounts(prometheus), m => m.Source.EndsWith("deploy/prometheus/prometheus.yml") && m.Target == "/etc/prometheus/prometheus.yml");
        Assert.Contains(Mounts(prometheus), m => m.Source.EndsWith("deploy/prometheus/alerts.yml") && m.Target == "/etc/prometheus/alerts.yml");
        var grafana = services["grafana"];
        Assert.Contains(Mounts(grafana), m => m.Source.EndsWith("deploy/grafana/dashboards") && m.Target == "/var/lib/grafana/dashboards");
        Assert.Contains(Mounts(grafana), m => m.Source.EndsWith("deploy/grafana/provisioning") && m.Target == "/etc/grafana/provisioning");
    }

    [Fact]
    public async Task DockerCompose_GpuProfile_DeclaresAGpuSiloWithDeviceReservation()
    {
        var run = await ToolRun.RunAsync("docker-compose", ["-f", "docker-compose.yml", "--profile", "gpu", "config"], environment: DefaultLimits);
        Assert.True(run.ExitCode == 0, run.ToString());
        var gpu = Map(LoadMapping(run.Stdout), "services")["silo-gpu"];
        Assert.EndsWith("deploy/docker/Dockerfile.cuda", Str(gpu, "build.dockerfile"));
        Assert.Equal(16L << 30, Bytes(Str(gpu, "mem_limit")));
        var device = Assert.Single(List(gpu, "deploy.resources.reservations.devices"));
        Assert.Equal("nvidia", Str(device, "driver"));
        Assert.Contains("gpu", List(device, "capabilities"));
        // Told the GPUs it reserves: with no count it joined with no training slot where its CUDA saw none. A number:
        // docker-compose 1.x refuses any other count but "all" when it starts the container.
        var reserved = Str(device, "count");
        Assert.True(int.TryParse(reserved, out var gpus) && gpus >= 1, $"count: {reserved}");
        Assert.Equal(reserved, Str(gpu, "environment.GradGuess__GpuCount"));
    }

    [Fact]
    public void Dockerfiles_PublishTheCliWithTheirTorchBackend()
    {
        var cpu = File.ReadAllText(RepoPaths.Combine("deploy", "docker", "Dockerfile.cpu"));
        var cuda = File.ReadAllText(RepoPaths.Combine("deploy", "docker", "Dockerfile.cuda"));
        foreach (var text in new[] { cpu, cuda })
        {
            Assert.Contains("dotnet publish src/Client/Client.csproj", text);
            Assert.Contains("CMD [\"silo\"]", text);
        }
        Assert.True(File.Exists(RepoPaths.Combine("src", "Client", "Client.csproj")));
        // The sets a silo reads: Fashion-MNIST where it looks first (the Debian package's directory), downloads where every
        // silo's volume has them.
        Assert.Equal("/usr/share/datasets/fashion-mnist", GradGuessCluster.Training.Data.DataLocations.FashionMnistPackageDirectory);
        foreach (var text in new[] { cpu, cuda })
        {
            Assert.Matches(@"apt-get install[^\n]*\bdataset-fashion-mnist\b", text);
            Assert.Matches(@"XDG_CACHE_HOME=/datasets\b", text);
            Assert.Contains("\"/datasets\"", text);
        }
        Assert.Contains("-p:TorchBackend=cpu", cpu);
        Assert.Contains("-p:TorchBackend=cuda", cuda);
        Assert.Matches(@"TORCH_VERSION=2\.10\.", cuda);
        // The variable TorchRuntime reads, pointing at a torch/lib directory.
        Assert.Matches(@"ENV GRADGUESS_LIBTORCH=\S+/torch/lib", cuda);
        Assert.Equal("GRADGUESS_LIBTORCH", GradGuessCluster.Training.Runtime.TorchRuntime.LibTorchDirVariable);
    }

    /// <summary>The silos' memory limits as the file sets them, whatever the shell running the tests sets.</summary>
    private static readonly Dictionary<string, string?> DefaultLimits = new() { ["GRADGUESS_SILO_MEMORY"] = null, ["GRADGUESS_GPU_SILO_MEMORY"] = null };

    /// <summary>A memory size as compose prints it: "8g" (v1, as written) or bytes (v2).</summary>
    private static long Bytes(string? size)
    {
        var match = System.Text.RegularExpressions.Regex.Match(size ?? "", "^([0-9]+)([bkmg]?)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        Assert.True(match.Success, $"not a memory size: '{size}'");
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
               << (match.Groups[2].Value.ToLowerInvariant() switch { "k" => 10, "m" => 20, "g" => 30, _ => 0 });
    }

    /// <summary>Volume mounts in either syntax compose prints: <c>source:target[:mode]</c> (v1) or a mapping (v2).</summary>
    internal static IEnumerable<(string Source, string Target)> Mounts(object? service) =>
        List(service, "volumes").Select(v => v is string text
            ? (text.Split(':')[0], text.Split(':')[1])
            : (Str(v, "source") ?? "", Str(v, "target") ?? ""));
}
