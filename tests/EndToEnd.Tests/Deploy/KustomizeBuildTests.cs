using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using static GradGuessCluster.EndToEnd.Tests.Infrastructure.YamlTree;

namespace GradGuessCluster.EndToEnd.Tests.Deploy;

/// <summary><c>kubectl kustomize deploy/k8s</c> builds, and its output carries the repo's dashboard JSON verbatim.
/// Needs kubectl (a missing one fails the test: a skipped check must not read as a pass).</summary>
public sealed class KustomizeBuildTests
{
    [Fact]
    public async Task Kustomize_Build_NamespacesEverythingAndEmbedsTheDashboard()
    {
        Assert.True(ToolRun.Exists("kubectl"), "kubectl is not installed (.ci/run installs it: apt-get install kubernetes-client)");
        var run = await ToolRun.RunAsync("kubectl", ["kustomize", "deploy/k8s"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var docs = LoadDocuments(run.Stdout);

        Assert.All(docs.Where(d => Str(d, "kind") != "Namespace"), d => Assert.Equal("gradguess", Str(d, "metadata.namespace")));
        var dashboardMap = Assert.Single(docs, d => Str(d, "kind") == "ConfigMap" && Str(d, "metadata.name")!.StartsWith("grafana-dashboard-gradguess"));
        var json = Map(dashboardMap, "data").GetValueOrDefault("gradguess.json") as string;
        Assert.Equal(File.ReadAllText(RepoPaths.Combine("deploy", "grafana", "dashboards", "gradguess.json")), json);

        // Generated names carry a content hash; the Grafana pod must mount the hashed name.
        var grafana = Assert.Single(docs, d => Str(d, "kind") == "Deployment" && Str(d, "metadata.name") == "grafana");
        Assert.Contains(List(grafana, "spec.template.spec.volumes"), v => Str(v, "configMap.name") == Str(dashboardMap, "metadata.name"));
        // Its datasources, Prometheus and Alertmanager, as the repo's provisioning files.
        var datasourceMap = Assert.Single(docs, d => Str(d, "kind") == "ConfigMap" && Str(d, "metadata.name")!.StartsWith("grafana-datasources"));
        foreach (var file in Directory.GetFiles(RepoPaths.Combine("deploy", "grafana", "provisioning", "datasources"), "*.yml"))
            Assert.Equal(File.ReadAllText(file), Map(datasourceMap, "data").GetValueOrDefault(Path.GetFileName(file)) as string);
        Assert.Contains(List(grafana, "spec.template.spec.volumes"), v => Str(v, "configMap.name") == Str(datasourceMap, "metadata.name"));
        // Prometheus finds the repo's alerting rules beside its configuration.
        var rulesMap = Assert.Single(docs, d => Str(d, "kind") == "ConfigMap" && Str(d, "metadata.name")!.StartsWith("prometheus-rules"));
        Assert.Equal(File.ReadAllText(RepoPaths.Combine("deploy", "prometheus", "alerts.yml")), Map(rulesMap, "data").GetValueOrDefault("alerts.yml") as string);
        var configMap = Assert.Single(docs, d => Str(d, "kind") == "ConfigMap" && Str(d, "metadata.name")!.StartsWith("prometheus-config"));
        var prometheus = Assert.Single(docs, d => Str(d, "kind") == "Deployment" && Str(d, "metadata.name") == "prometheus");
        var projected = Assert.Single(List(prometheus, "spec.template.spec.volumes"), v => Str(v, "name") == "config");
        Assert.Equal([Str(configMap, "metadata.name"), Str(rulesMap, "metadata.name")],
            List(projected, "projected.sources").Select(s => Str(s, "configMap.name")));
        var container = Assert.Single(List(prometheus, "spec.template.spec.containers"));
        Assert.Contains("--config.file=/etc/prometheus/prometheus.yml", List(container, "args").Cast<string>());
        Assert.Contains(List(container, "volumeMounts"), m => Str(m, "name") == "config" && Str(m, "mountPath") == "/etc/prometheus");
        var silo = Assert.Single(docs, d => Str(d, "kind") == "Deployment" && Str(d, "metadata.name") == "gradguess-silo");
        Assert.StartsWith("gradguess/silo:", Str(Assert.Single(List(silo, "spec.template.spec.containers")), "image"));
    }
}
