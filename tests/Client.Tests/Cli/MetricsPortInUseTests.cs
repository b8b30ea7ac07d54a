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
    [PrivilegedPortsFact]
    public void Local_PrivilegedMetricsPort_SaysItIsNotPermitted()
    {
        var port = (PrivilegedPortsFactAttribute.FirstUnprivileged() - 1).ToString(CultureInfo.InvariantCulture);   // 1023 by default
        var spec = LocalSpecs.Write(_dir, "privileged", epochs: 1);
        var result = CliRunner.RunWithoutPrivilegedPorts("local", spec, "--state-dir", Path.Combine(_dir, "state"), "--metrics-port", port);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"gradguess: --metrics-port {port}: listening on it on 127.0.0.1 is not permitted (a port below 1024 needs the privilege); " +
                     "choose another with --metrics-port, or --metrics-port 0 for no /metrics", Assert.Single(result.StderrLines));
        Assert.False(Directory.Exists(Path.Combine(_dir, "state")));   // refused before anything was kept
    }
}

/// <summary>Runs where the kernel keeps some ports privileged; where it keeps none (Docker's default since 20.10 sets
/// net.ipv4.ip_unprivileged_port_start to 0) no port can be refused to a user, and the test is skipped saying so.</summary>
public sealed class PrivilegedPortsFactAttribute : FactAttribute
{
    public PrivilegedPortsFactAttribute()
    {
        if (FirstUnprivileged() == 0) Skip = "this kernel lets every user listen on every port (net.ipv4.ip_unprivileged_port_start = 0)";
    }

    public static int FirstUnprivileged() =>
        int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_unprivileged_port_start").Trim(), CultureInfo.InvariantCulture);
}
