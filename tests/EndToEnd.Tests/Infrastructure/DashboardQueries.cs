using System.Text.Json.Nodes;

namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>The shipped Grafana dashboard and the PromQL of its panels.</summary>
public static class DashboardQueries
{
    public static readonly string Path = RepoPaths.Combine("deploy", "grafana", "dashboards", "gradguess.json");

    /// <summary>Series Prometheus itself makes (not in any /metrics output).</summary>
    public static readonly IReadOnlySet<string> PrometheusSeries = new HashSet<string> { "up", "scrape_duration_seconds", "scrape_samples_scraped" };

    public static JsonObject Load() => JsonNode.Parse(File.ReadAllText(Path))!.AsObject();

    public static IEnumerable<JsonObject> Panels(JsonObject dashboard) =>
        dashboard["panels"]!.AsArray().Select(p => p!.AsObject())
            .SelectMany(p => p["panels"] is JsonArray nested ? nested.Select(n => n!.AsObject()).Prepend(p) : [p]);

    /// <summary>(panel title, expression) of every query target.</summary>
    public static IEnumerable<(string Panel, string Expr)> Expressions(JsonObject dashboard) =>
        Panels(dashboard)
            .Where(p => p["targets"] is JsonArray)
            .SelectMany(p => p["targets"]!.AsArray().Select(t => ((string)p["title"]!, (string?)t!["expr"] ?? "")));

    /// <summary>Metric names the panels read, minus Prometheus' own series.</summary>
    public static IReadOnlySet<string> ProductMetricNames(JsonObject dashboard) =>
        Expressions(dashboard).SelectMany(e => PromQl.MetricNames(e.Expr)).Where(n => !PrometheusSeries.Contains(n)).ToHashSet();
}
