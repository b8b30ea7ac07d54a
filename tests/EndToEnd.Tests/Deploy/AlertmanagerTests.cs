using System.Text.Json.Nodes;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using static GradGuessCluster.EndToEnd.Tests.Infrastructure.YamlTree;

namespace GradGuessCluster.EndToEnd.Tests.Deploy;

/// <summary>Alert routing: deploy/alertmanager/alertmanager.yml passes amtool, groups the rules' alerts by sweep or silo
/// in a real Alertmanager (read as Grafana's datasource reads them), and a rule that fires in a real Prometheus reaches a
/// receiver through it; both deployments send their alerts there.</summary>
public sealed class AlertmanagerTests
{
    private static readonly string Config = RepoPaths.Combine("deploy", "alertmanager", "alertmanager.yml");
    private static readonly string Rules = RepoPaths.Combine("deploy", "prometheus", "alerts.yml");
    private static readonly string GrafanaDatasource = RepoPaths.Combine("deploy", "grafana", "provisioning", "datasources", "alertmanager.yml");

    [Fact]
    public async Task AlertmanagerConfig_Amtool_AcceptsIt_AndEveryRuleRoutesToAReceiverItDeclares()
    {
        Assert.True(ToolRun.Exists("amtool"), "amtool is missing: install Debian's prometheus-alertmanager package (.ci/run does)");
        var check = await ToolRun.RunAsync("amtool", ["check-config", Config]);
        Assert.True(check.ExitCode == 0, check.ToString());
        var receivers = List(LoadMapping(File.ReadAllText(Config)), "receivers").Select(r => Str(r, "name")).ToList();
        foreach (var (alert, severity) in RuleAlerts())
        {
            var route = await ToolRun.RunAsync("amtool", ["config", "routes", "test", $"--config.file={Config}", $"alertname={alert}", $"severity={severity}"]);
            Assert.True(route.ExitCode == 0, route.ToString());
            Assert.Contains(route.Stdout.Trim(), receivers);
        }
    }

    /// <summary>What each rule's alerts carry (its <c>by</c> labels, or a target's for <c>up</c>): one group per alert and
    /// sweep or silo, a sweep's problems of two kinds in one.</summary>
    [Fact]
    public async Task Alertmanager_GroupsTheRulesAlertsBySweepOrSilo()
    {
        await using var alertmanager = await AlertmanagerServer.StartAsync(File.ReadAllText(Config));
        var alerts = new (string Alert, Dictionary<string, string> Labels)[]
        {
            ("GradGuessSweepProblem", new() { ["sweep"] = "a", ["kind"] = "ledger_write" }),
            ("GradGuessSweepProblem", new() { ["sweep"] = "a", ["kind"] = "curve_gap" }),
            ("GradGuessSweepProblem", new() { ["sweep"] = "b", ["kind"] = "ledger_write" }),
            ("GradGuessSweepStalled", new() { ["sweep"] = "a" }),
            ("GradGuessSiloDown", new() { ["instance"] = "silo1:8080", ["job"] = "gradguess-silo" }),
            ("GradGuessSiloDown", new() { ["instance"] = "silo2:8080", ["job"] = "gradguess-silo" }),
            ("GradGuessGpuSiloGone", new() { ["instance"] = "silo-gpu:8080", ["job"] = "gradguess-silo" }),
            ("GradGuessCheckpointDirUnshared", new() { ["silo"] = "S10.0.0.5:11111:1" }),
        };
        Assert.Equal(RuleAlerts().Select(r => r.Alert).Order(), alerts.Select(a => a.Alert).Distinct().Order());   // every rule
        foreach (var (alert, labels) in alerts)
        {
            var add = await ToolRun.RunAsync("amtool", ["alert", "add", $"--alertmanager.url=http://{alertmanager.Address}", $"alertname={alert}",
                "severity=warning", .. labels.Select(l => $"{l.Key}={l.Value}")]);
            Assert.True(add.ExitCode == 0, add.ToString());
        }

        // Read as Grafana's provisioned Alertmanager datasource reads them: Prometheus' API under the datasource's URL.
        var datasource = Assert.Single(List(LoadMapping(File.ReadAllText(GrafanaDatasource)), "datasources"));
        Assert.Equal("alertmanager", Str(datasource, "type"));
        Assert.Equal("prometheus", Str(datasource, "jsonData.implementation"));   // Grafana's default, Mimir, reads other paths
        var path = new Uri(Str(datasource, "url")!).AbsolutePath.TrimEnd('/');
        using var http = new HttpClient();
        var groups = JsonNode.Parse(await http.GetStringAsync($"http://{alertmanager.Address}{path}/api/v2/alerts/groups"))!.AsArray()
            .Select(g => (Key: string.Join(",", g!["labels"]!.AsObject().OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}")),
                Alerts: g["alerts"]!.AsArray().Count, Receiver: (string?)g["receiver"]!["name"]))
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(new[]
        {
            ("alertname=GradGuessCheckpointDirUnshared,silo=S10.0.0.5:11111:1", 1),
            ("alertname=GradGuessGpuSiloGone,instance=silo-gpu:8080", 1),
            ("alertname=GradGuessSiloDown,instance=silo1:8080", 1),
            ("alertname=GradGuessSiloDown,instance=silo2:8080", 1),
            ("alertname=GradGuessSweepProblem,sweep=a", 2),
            ("alertname=GradGuessSweepProblem,sweep=b", 1),
            ("alertname=GradGuessSweepStalled,sweep=a", 1),
        }, groups.Select(g => (g.Key, g.Alerts)));
        var receiver = Str(LoadMapping(File.ReadAllText(Config)), "route.receiver");
        Assert.All(groups, g => Assert.Equal(receiver, g.Receiver));
    }

    /// <summary>The whole path, as a user who adds a webhook to the receiver gets it: a silo that stops answering scrapes
    /// (a port nothing listens on) raises GradGuessSiloDown in a real Prometheus loading the repo's rules, whose
    /// Alertmanager, on the repo's configuration, notifies the receiver after its group wait: about 95 s in all.</summary>
    [Fact]
    public async Task ARuleFiringInPrometheus_ReachesTheReceiverThroughAlertmanager()
    {
        using var webhook = new WebhookReceiver();
        await using var alertmanager = await AlertmanagerServer.StartAsync(WithWebhook(File.ReadAllText(Config), webhook.Url));
        var silo = $"127.0.0.1:{FreePorts.Next()}";   // handed out, never bound: no answer
        await using var prometheus = await PrometheusServer.StartAsync([silo], rules: Rules, alertmanager: alertmanager.Address);

        await Waiting.UntilAsync(() => Task.FromResult(!webhook.Received.IsEmpty), TimeSpan.FromMinutes(3),
            () => "no notification\n" + alertmanager.LogTail() + "\n" + prometheus.LogTail(), TimeSpan.FromSeconds(1));
        var notification = webhook.Received.First();
        Assert.Equal("firing", (string?)notification["status"]);
        Assert.Equal("gradguess-operators", (string?)notification["receiver"]);
        Assert.Equal(new JsonObject { ["alertname"] = "GradGuessSiloDown", ["instance"] = silo }.ToJsonString(),
            notification["groupLabels"]!.ToJsonString());
        var alert = Assert.Single(notification["alerts"]!.AsArray())!;
        Assert.Equal("warning", (string?)alert["labels"]!["severity"]);
        Assert.Equal($"Silo {silo} does not answer Prometheus", (string?)alert["annotations"]!["summary"]);
    }

    /// <summary>Both deployments: Prometheus sends its alerts to the Alertmanager service beside it, which loads the repo's
    /// configuration (compose mounts the file; Kubernetes mounts the ConfigMap generated from it).</summary>
    [Fact]
    public async Task BothDeployments_SendAlertsToAnAlertmanagerLoadingTheRepoConfig()
    {
        var compose = await ToolRun.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config"]);
        Assert.True(compose.ExitCode == 0, compose.ToString());
        var services = Map(LoadMapping(compose.Stdout), "services");
        var alertmanager = services["alertmanager"];
        Assert.Contains("--config.file=/etc/alertmanager/alertmanager.yml", List(alertmanager, "command"));
        Assert.Contains(DockerComposeTests.Mounts(alertmanager),
            m => m.Source.EndsWith("deploy/alertmanager/alertmanager.yml") && m.Target == "/etc/alertmanager/alertmanager.yml");
        Assert.Equal(["alertmanager:9093"], AlertmanagerTargets(RepoPaths.Combine("deploy", "prometheus", "prometheus.yml")));

        var docs = K8sManifests.Load();
        var service = K8sManifests.Named(docs, "Service", "alertmanager");
        var port = Assert.Single(List(service, "spec.ports"));
        Assert.Equal([$"{Str(service, "metadata.name")}:{Str(port, "port")}"], AlertmanagerTargets(RepoPaths.Combine("deploy", "k8s", "prometheus", "prometheus.yml")));
        var deployment = K8sManifests.Named(docs, "Deployment", "alertmanager");
        var volume = Assert.Single(List(deployment, "spec.template.spec.volumes"), v => Str(v, "configMap.name") is not null);
        var generator = Assert.Single(List(LoadMapping(File.ReadAllText(RepoPaths.Combine("deploy", "alertmanager", "kustomization.yaml"))), "configMapGenerator"));
        Assert.Equal(Str(generator, "name"), Str(volume, "configMap.name"));
        Assert.Equal(["alertmanager.yml"], List(generator, "files").Cast<string>());
        Assert.Contains("../alertmanager", List(LoadMapping(File.ReadAllText(Path.Combine(K8sManifests.Root, "kustomization.yaml"))), "resources"));
        var mount = Assert.Single(List(Assert.Single(K8sManifests.Containers(deployment)), "volumeMounts"), m => Str(m, "name") == Str(volume, "name"));
        Assert.Contains($"--config.file={Str(mount, "mountPath")}/alertmanager.yml", List(Assert.Single(K8sManifests.Containers(deployment)), "args"));
    }

    /// <summary>Each alerting rule of deploy/prometheus/alerts.yml: its name and severity.</summary>
    private static List<(string Alert, string Severity)> RuleAlerts() =>
        List(LoadMapping(File.ReadAllText(Rules)), "groups").SelectMany(g => List(g, "rules"))
            .Select(r => (Str(r, "alert")!, Str(r, "labels.severity")!)).ToList();

    private static List<string> AlertmanagerTargets(string prometheusConfig) =>
        List(LoadMapping(File.ReadAllText(prometheusConfig)), "alerting.alertmanagers")
            .SelectMany(a => List(a, "static_configs")).SelectMany(c => List(c, "targets").Cast<string>()).ToList();

    /// <summary>The configuration with a webhook added to its default receiver, as a user adds one.</summary>
    private static string WithWebhook(string config, string url)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(config));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var name = ((YamlScalarNode)((YamlMappingNode)root["route"])["receiver"]).Value;
        var receiver = ((YamlSequenceNode)root["receivers"]).Cast<YamlMappingNode>().Single(r => ((YamlScalarNode)r["name"]).Value == name);
        receiver.Add("webhook_configs", new YamlSequenceNode(new YamlMappingNode { { "url", url } }));
        var text = new StringWriter();
        yaml.Save(text, assignAnchors: false);
        return text.ToString();
    }
}
