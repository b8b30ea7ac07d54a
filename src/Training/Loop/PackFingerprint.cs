using System.Security.Cryptography;
using System.Text.Json;

namespace GradGuessCluster.Training.Loop;

/// <summary>Hash of everything that shapes a pack's trajectory (not the epoch count or the evaluation and
/// diagnostics schedule, which only decide what is measured and for how long).</summary>
public static class PackFingerprint
{
    public static string Of(PackSpec spec)
    {
        var shaping = new { spec.Data, spec.Depth, spec.Width, spec.Estimator, spec.BatchSize, spec.DataSeed, spec.Cells };
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(shaping)))[..32];
    }
}
