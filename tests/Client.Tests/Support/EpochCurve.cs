using System.Text.Json;

namespace GradGuessCluster.Client.Tests.Support;

/// <summary>A <c>train --json</c> epoch line without its timings, the only figures that differ between equal runs: what
/// tests of resumed and repeated trains compare.</summary>
internal static class EpochCurve
{
    public static string Of(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return string.Join("|", doc.RootElement.EnumerateObject()
            .Where(p => p.Name is not ("seconds" or "evalSeconds"))
            .Select(p => $"{p.Name}={p.Value.GetRawText()}"));
    }
}
