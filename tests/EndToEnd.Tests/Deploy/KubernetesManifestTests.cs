using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using static GradGuessCluster.EndToEnd.Tests.Deploy.K8sManifests;
using static GradGuessCluster.EndToEnd.Tests.Infrastructure.YamlTree;

namespace GradGuessCluster.EndToEnd.Tests.Deploy;

/// <summary>Structure of deploy/k8s: required fields per kind, services that select real pods, GPU silos with Orleans'
/// Kubernetes hosting and its RBAC, a shared checkpoint volume, and the dashboard ConfigMap from the repo's JSON.</summary>
public sealed class KubernetesManifestTests
{
    private readonly IReadOnlyList<Dictionary<string, object?>> _docs = Load();

    [Fact]
    public void Manifests_EveryDocument_HasTheFieldsItsKindRequires()
    {
        Assert.NotEmpty(_docs);
        foreach (var d in _docs)
        {
            string kind = Str(d, "kind") ?? throw new Xunit.Sdk.XunitException("a document has no kind");
            string where = $"{kind} {Str(d, "metadata.name")}";
            Assert.False(string.IsNullOrEmpty(Str(d, "apiVersion")), where + ": apiVersion");
            Assert.False(string.IsNullOrEmpty(Str(d, "metadata.name")), where + ": metadata.name");
            switch (kind)
            {
                case "Deployment" or "StatefulSet":
                    Assert.Equal("apps/v1", Str(d, "apiVersion"));
                    var selector = Map(d, "spec.selector.matchLabels");
                    Assert.NotEmpty(selector);
                    Assert.All(selector, kv => Assert.Equal(kv.Value, PodLabels(d).GetValueOrDefault(kv.Key)));
                    Assert.NotEmpty(Containers(d));
                    Assert.All(Containers(d), c => Assert.False(string.IsNullOrEmpty(Str(c, "name")) || string.IsNullOrEmpty(Str(c, "image")), where));
                    if (kind == "StatefulSet") Assert.NotNull(Str(d, "spec.serviceName"));
                    break;
                case "Service":
                    Assert.NotEmpty(Map(d, "spec.selector"));
                    Assert.All(List(d, "spec.ports"), p => Assert.NotNull(Str(p, "port")));
                    Assert.NotEmpty(List(d, "spec.ports"));
                    break;
                case "PersistentVolumeClaim":
                    Assert.NotEmpty(List(d, "spec.accessModes"));
                    Assert.NotNull(Str(d, "spec.resources.requests.storage"));
                    break;
                case "Role":
                    Assert.NotEmpty(List(d, "rules"));
                    break;
                case "RoleBinding":
                    Assert.NotNull(Str(d, "roleRef.name"));
                    Assert.NotEmpty(List(d, "subjects"));
                    Named(_docs, Str(d, "roleRef.kind")!, Str(d, "roleRef.name")!);
                    Assert.All(List(d, "subjects"), s => Named(_docs, Str(s, "kind")!, Str(s, "name")!));
                    break;
                case "ServiceAccount" or "Namespace" or "ConfigMap":
                    break;
                default:
                    throw new Xunit.Sdk.XunitException($"{where}: unexpected kind");
            }
        }
    }

    [Fact]
    public void Services_Selectors_MatchAWorkloadsPodsAndNamedPorts()
    {
        var services = _docs.Where(d => Str(d, "kind") == "Service").ToList();
        Assert.NotEmpty(services);
        foreach (var service in services)
        {
            var selector = Map(service, "spec.selector");
            var workload = Workloads(_docs).SingleOrDefault(w => selector.All(kv => Equals(PodLabels(w).GetValueOrDefault(kv.Key), kv.Value)));
            Assert.True(workload is not null, $"Service {Str(service, "metadata.name")} selects no pods");
            var portNames = Containers(workload!).SelectMany(c => List(c, "ports")).Select(p => Str(p, "name")).ToHashSet();
            foreach (var port in List(service, "spec.ports"))
                if (Str(port, "targetPort") is { } target && !int.TryParse(target, out _))
                    Assert.Contains(target, portNames);
        }
    }

    [Fact]
    public void Silos_RequestGpusAndUseOrleansKubernetesHosting()
    {
        var silo = Named(_docs, "Deployment", "gradguess-silo");
        var pod = Map(silo, "spec.template.spec");
        var container = Assert.Single(Containers(silo));

        var gpus = int.Parse(Map(container, "resources.limits").GetValueOrDefault("nvidia.com/gpu") as string ?? "0");
        Assert.True(gpus >= 1, "silos must request nvidia.com/gpu");
        // Told how many it must see: without, a silo whose CUDA sees none joined the cluster with no training slot, healthy.
        var gpuCount = List(container, "env").SingleOrDefault(e => Str(e, "name") == "GradGuess__GpuCount");
        Assert.True(gpuCount is not null, "the silo must be told its GPU count (GradGuess__GpuCount), as many as its nvidia.com/gpu limit");
        Assert.Equal(gpus.ToString(System.Globalization.CultureInfo.InvariantCulture), Str(gpuCount, "value"));
        // No node label the device plugin alone does not set (GKE, EKS, AKS would leave the pods Pending).
        Assert.DoesNotContain("nvidia.com/gpu.present", Map(pod, "nodeSelector").Keys);
        Assert.Contains(List(pod, "tolerations"), t => Str(t, "key") == "nvidia.com/gpu" && Str(t, "effect") == "NoSchedule");

        var labels = PodLabels(silo);
        Assert.NotNull(labels.GetValueOrDefault("orleans/serviceId"));
        Assert.NotNull(labels.GetValueOrDefault("orleans/clusterId"));
        var env = List(container, "env").ToDictionary(e => Str(e, "name")!, e => e);
        Assert.Equal("metadata.name", Str(env["POD_NAME"], "valueFrom.fieldRef.fieldPath"));
        Assert.Equal("metadata.namespace", Str(env["POD_NAMESPACE"], "valueFrom.fieldRef.fieldPath"));
        Assert.Equal("status.podIP", Str(env["POD_IP"], "valueFrom.fieldRef.fieldPath"));
        Assert.Equal("true", Str(env["GradGuess__Kubernetes"], "value"));
        Assert.Equal("redis", Str(env["GradGuess__Clustering"], "value"));

        // RBAC: the pod's service account may watch and delete pods (Orleans' Kubernetes hosting).
        string account = Str(pod, "serviceAccountName")!;
        Named(_docs, "ServiceAccount", account);
        var binding = _docs.Single(d => Str(d, "kind") == "RoleBinding" && List(d, "subjects").Any(s => Str(s, "name") == account));
        var verbs = List(Named(_docs, "Role", Str(binding, "roleRef.name")!), "rules")
            .Where(r => List(r, "resources").Contains("pods")).SelectMany(r => List(r, "verbs")).ToHashSet();
        Assert.Superset(new HashSet<object?> { "get", "list", "watch", "delete" }, verbs);

        // Checkpoints on a ReadWriteMany claim, mounted where the silo writes them.
        var volume = Assert.Single(List(pod, "volumes"), v => Get(v, "persistentVolumeClaim") is not null);
        var claim = Named(_docs, "PersistentVolumeClaim", Str(volume, "persistentVolumeClaim.claimName")!);
        Assert.Contains("ReadWriteMany", List(claim, "spec.accessModes"));
        var mount = Assert.Single(List(container, "volumeMounts"), m => Str(m, "name") == Str(volume, "name"));
        Assert.Equal(Str(env["GradGuess__CheckpointDirectory"], "value"), Str(mount, "mountPath"));

        // Scraped by annotation on the container's HTTP port.
        var annotations = Map(silo, "spec.template.metadata.annotations");
        Assert.Equal("true", annotations.GetValueOrDefault("prometheus.io/scrape"));
        Assert.Contains(List(container, "ports"), p => Str(p, "containerPort") == annotations.GetValueOrDefault("prometheus.io/port") as string);
        Assert.Equal("/healthz", Str(container, "readinessProbe.httpGet.path"));

        // Redis holds every sweep: each write on disk before it is acknowledged (docs/CLUSTER.md's "loses nothing").
        var redis = Assert.Single(Containers(Named(_docs, "StatefulSet", "redis")));
        Assert.Equal("--appendonly yes --appendfsync always", string.Join(' ', List(redis, "args")));
    }

    [Fact]
    public void Kustomization_ListsEveryManifestAndGeneratesTheDashboardFromTheRepoJson()
    {
        var kustomization = LoadMapping(File.ReadAllText(Path.Combine(Root, "kustomization.yaml")));
        var resources = List(kustomization, "resources").Cast<string>().ToList();
        foreach (var manifest in Directory.GetFiles(Root, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml"))
            Assert.Contains(manifest, resources);
        Assert.All(resources, r => Assert.True(File.Exists(Path.Combine(Root, r)) || Directory.Exists(Path.Combine(Root, r)), r));
        Assert.Contains("../grafana", resources);

        var grafanaDir = RepoPaths.Combine("deploy", "grafana");
        var generators = List(LoadMapping(File.ReadAllText(Path.Combine(grafanaDir, "kustomization.yaml"))), "configMapGenerator");
        var dashboard = Assert.Single(generators, g => Str(g, "name") == "grafana-dashboard-gradguess");
        var file = Assert.Single(List(dashboard, "files")) as string;
        Assert.Equal("dashboards/gradguess.json", file);
        Assert.True(File.Exists(Path.Combine(grafanaDir, file!)));

        var grafana = Named(_docs, "Deployment", "grafana");
        Assert.Contains(List(grafana, "spec.template.spec.volumes"), v => Str(v, "configMap.name") == "grafana-dashboard-gradguess");
        foreach (var generated in generators.Select(g => Str(g, "name")))
            Assert.Contains(List(grafana, "spec.template.spec.volumes"), v => Str(v, "configMap.name") == generated);
    }
}
