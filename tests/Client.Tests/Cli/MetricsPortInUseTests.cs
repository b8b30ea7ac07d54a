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
}
