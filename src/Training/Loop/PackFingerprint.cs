using System.Security.Cryptography;
using System.Text.Json;

namespace GradGuessCluster.Training.Loop;

/// <summary>Hash of everything that shapes a pack's trajectory (not the epoch count or the evaluation and
/// diagnostics schedule, which only decide what is measured and for how long). The data set counts, not the directory
/// it was read from: <c>x</c> and <c>x/</c> are one place, and a pack resumed on another silo may find its data
/// elsewhere.</summary>
public static class PackFingerprint
{
    public static string Of(PackSpec spec)
    {
        var shaping = new { Data = spec.Data with { Directory = null }, spec.Depth, spec.Width, spec.Estimator, spec.BatchSize, spec.DataSeed, spec.Cells };
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(shaping)))[..32];
    }
}
