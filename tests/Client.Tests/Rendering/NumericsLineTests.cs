using System.Text.Json.Nodes;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary>How status names a sweep's packs that resumed under other numerics than their checkpoints were written under.</summary>
public sealed class NumericsLineTests
{
    private static readonly ResumedNumerics Last = new("libtorch 2.10.0.0, cpu, 1 thread, oneMKL code path 0", "libtorch 2.10.0.0, cpu, 2 threads, oneMKL code path 7");

    [Fact]
    public void TheLine_NamesThePack_BothNumerics_AndTheCountOnlyBeyondOne()
    {
        Assert.Equal("pack p3 resumed under libtorch 2.10.0.0, cpu, 2 threads, oneMKL code path 7 (its checkpoint was written under "
            + "libtorch 2.10.0.0, cpu, 1 thread, oneMKL code path 0): training goes on correctly, but its curves can differ from here in the last bits from an uninterrupted run's",
            SweepStatusView.Numerics(new NumericsResumes(1, "p3", Last)));
        Assert.EndsWith("an uninterrupted run's, 3 such resumes in all", SweepStatusView.Numerics(new NumericsResumes(3, "p3", Last)));
    }

    [Fact]
    public void Json_CarriesThem_UnderNumerics()
    {
        var status = new SweepStatus("s", SweepState.Running, 10, [], DateTimeOffset.UnixEpoch, null, Numerics: new NumericsResumes(2, "p0", Last, "run-1"));
        var numerics = JsonNode.Parse(JsonOutput.Serialize(status))!["numerics"]!;
        Assert.Equal(2, (int)numerics["count"]!);
        Assert.Equal(Last.Now, (string?)numerics["last"]!["now"]);
        Assert.Null(JsonNode.Parse(JsonOutput.Serialize(status with { Numerics = null }))!["numerics"]);
    }
}
