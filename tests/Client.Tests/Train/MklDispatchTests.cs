using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Client.Tests.Train;

/// <summary>The path MKL reports (<c>MKL_VERBOSE</c>'s banner) in a real <c>train</c>: on an AMD CPU, the one its features
/// allow, and its own vendor-based choice with <c>GRADGUESS_MKL_VENDOR_CHECK=keep</c>; another value is refused.</summary>
public sealed class MklDispatchTests
{
    private static readonly string[] Train = ["train", "--data", "synthetic", "--width", "16", "--depth", "2", "--optimizer", "sgd", "--lr", "0.1", "--epochs", "1"];

    [Fact]
    public void Train_OnAnAmdCpu_RunsMklsFeaturePath_AndKeepLeavesMklsOwnChoice()
    {
        var bypassed = Banner(new Dictionary<string, string?> { ["MKL_VERBOSE"] = "1" });
        var kept = Banner(new Dictionary<string, string?> { ["MKL_VERBOSE"] = "1", [MklVendorCheck.Variable] = "keep" });
        if (MklVendorCheck.CpuVendor() == "AuthenticAMD")
        {
            Assert.Contains("Advanced Vector Extensions", bypassed);
            Assert.Contains("Intel(R) Architecture processors", kept);   // MKL's generic path
        }
        else
        {
            Assert.Equal(kept, bypassed);
        }
    }

    [Fact]
    public void Variable_WithAnUnknownValue_IsInvalidInputNamingIt()
    {
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, new Dictionary<string, string?> { [MklVendorCheck.Variable] = "off" }, Train);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"gradguess: {MklVendorCheck.Variable}=off: expected 'bypass' (the default) or 'keep'", r.StderrLines[0]);
    }

    private static string Banner(Dictionary<string, string?> environment)
    {
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, environment, Train);
        Assert.True(r.ExitCode == 0, r.ToString());
        return Assert.Single(r.StdoutLines, l => l.StartsWith("MKL_VERBOSE oneMKL", StringComparison.Ordinal));
    }
}
