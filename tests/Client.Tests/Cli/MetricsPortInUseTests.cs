using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Cli;

/// <summary><c>local</c> refuses a --metrics-port in use and says how to choose: another port, or 0 for no /metrics.</summary>
public sealed class MetricsPortInUseTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-metrics-port-" + Guid.NewGuid().ToString("N")[..8]);

    public MetricsPortInUseTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Local_MetricsPortInUse_ExitsTwoSayingHowToChooseAnother()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        var spec = LocalSpecs.Write(_dir, "held", epochs: 1);
        var result = CliRunner.Run(TimeSpan.FromMinutes(1), null, "local", spec, "--state-dir", Path.Combine(_dir, "state"), "--metrics-port", port);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"gradguess: --metrics-port {port}: the port is in use on 127.0.0.1 (another gradguess local?); " +
                     "choose another with --metrics-port, or --metrics-port 0 for no /metrics", Assert.Single(result.StderrLines));
    }

    /// <summary>A port this user may not listen on is said to be that, not taken: "another gradguess local?" sent the
    /// user looking for a process that is not there.</summary>
    [Fact]
    public void Local_PrivilegedMetricsPort_SaysItIsNotPermitted()
    {
        // The first port the kernel keeps privileged (1023 by default); a kernel that keeps none cannot refuse one.
        int first = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_unprivileged_port_start").Trim(), CultureInfo.InvariantCulture);
        Assert.True(first > 0, "this kernel lets every user listen on every port (net.ipv4.ip_unprivileged_port_start = 0)");
        var port = (first - 1).ToString(CultureInfo.InvariantCulture);
        var spec = LocalSpecs.Write(_dir, "privileged", epochs: 1);
        var result = CliRunner.RunWithoutPrivilegedPorts("local", spec, "--state-dir", Path.Combine(_dir, "state"), "--metrics-port", port);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"gradguess: --metrics-port {port}: listening on it on 127.0.0.1 is not permitted (a port below 1024 needs the privilege); " +
                     "choose another with --metrics-port, or --metrics-port 0 for no /metrics", Assert.Single(result.StderrLines));
        Assert.False(Directory.Exists(Path.Combine(_dir, "state")));   // refused before anything was kept
    }
}
