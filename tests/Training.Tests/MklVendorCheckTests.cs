using GradGuessCluster.Training.Runtime;
using System.Runtime.Intrinsics.X86;
using TorchSharp;

namespace GradGuessCluster.Training.Tests;

/// <summary>MKL's CPU dispatch once libtorch is up: on an AMD CPU (the CI machines' EPYC) it takes the code path the
/// CPU's features allow rather than its generic one, and its matmuls there are right.</summary>
public sealed class MklVendorCheckTests
{
    public MklVendorCheckTests() => TorchRuntime.SetThreads(1);

    [Fact]
    public void AfterInitialisation_MklDispatchesOnTheCpusFeatures_AndItsMatmulsAreRight()
    {
        var path = MklVendorCheck.CodePath();
        Assert.NotNull(path);   // TorchSharp's libtorch-cpu links oneMKL
        if (MklVendorCheck.CpuVendor() == "AuthenticAMD")
            Assert.Equal("oneMKL dispatching on CPU features (its AMD vendor check bypassed)", MklVendorCheck.Outcome);
        else
            Assert.StartsWith("oneMKL's own CPU dispatch", MklVendorCheck.Outcome);
        // 0 is MKL's generic path: what it ran on AMD CPUs of any feature set before the bypass.
        if (Avx2.IsSupported) Assert.True(path > 0, $"MKL code path {path} on a CPU with AVX2 ({MklVendorCheck.Outcome})");

        // Shapes off every kernel's block size, against a float64 product.
        using var a = torch.randn(257, 301, generator: new torch.Generator(7));
        using var b = torch.randn(301, 131, generator: new torch.Generator(8));
        using var product = torch.mm(a, b);
        using var reference = torch.mm(a.to(torch.float64), b.to(torch.float64));
        using var widened = product.to(torch.float64);
        Assert.True(widened.allclose(reference, rtol: 0, atol: 1e-3), "float32 product off its float64 value by more than 1e-3");
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("bypass", true)]
    [InlineData("keep", false)]
    public void Variable_ChoosesBypassOrKeep(string? value, bool bypass) =>
        WithVariable(value, () => Assert.Equal(bypass, MklVendorCheck.Bypass()));

    [Theory]
    [InlineData("off")]
    [InlineData("Keep")]
    public void Variable_WithAnotherValue_IsRefusedNamingIt(string value) =>
        WithVariable(value, () => Assert.Equal($"{MklVendorCheck.Variable}={value}: expected 'bypass' (the default) or 'keep'",
            Assert.Throws<LibTorchVariableException>(() => MklVendorCheck.Bypass()).Message));

    private static void WithVariable(string? value, Action check)
    {
        var before = Environment.GetEnvironmentVariable(MklVendorCheck.Variable);
        Environment.SetEnvironmentVariable(MklVendorCheck.Variable, value);
        try { check(); }
        finally { Environment.SetEnvironmentVariable(MklVendorCheck.Variable, before); }
    }
}
