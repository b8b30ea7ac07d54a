using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using static GradGuessCluster.EndToEnd.Tests.Infrastructure.YamlTree;

namespace GradGuessCluster.EndToEnd.Tests.Deploy;

/// <summary>The manifests of deploy/k8s, read straight from the files (no kustomize needed).</summary>
internal static class K8sManifests
{
    public static readonly string Root = RepoPaths.Combine("deploy", "k8s");

    public static IReadOnlyList<Dictionary<string, object?>> Load() =>
        System.IO.Directory.GetFiles(Root, "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => LoadDocuments(File.ReadAllText(f)))
            .ToList();

    public static IEnumerable<Dictionary<string, object?>> Workloads(IEnumerable<Dictionary<string, object?>> docs) =>
        docs.Where(d => Str(d, "kind") is "Deployment" or "StatefulSet" or "DaemonSet");

    public static Dictionary<string, object?> Named(IEnumerable<Dictionary<string, object?>> docs, string kind, string name) =>
        docs.Single(d => Str(d, "kind") == kind && Str(d, "metadata.name") == name);

    public static Dictionary<string, object?> PodLabels(Dictionary<string, object?> workload) => Map(workload, "spec.template.metadata.labels");

    public static IEnumerable<Dictionary<string, object?>> Containers(Dictionary<string, object?> workload) =>
        List(workload, "spec.template.spec.containers").Cast<Dictionary<string, object?>>();
}
