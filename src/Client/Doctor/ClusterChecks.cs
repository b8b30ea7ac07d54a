using System.Net;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;

namespace GradGuessCluster.Client.Doctor;

/// <summary>The cluster the cluster verbs would reach, with the same options and variables. Not named (the default
/// gateway), a silo that does not answer is no problem: <c>local</c> and <c>train</c> need none. Named, it must answer.</summary>
internal static class ClusterChecks
{
    private const string Area = "cluster";

    /// <param name="isDefault">No cluster named (options or variables): the default gateway, which need not answer.</param>
    public static async Task<DoctorFinding> RunAsync(ClusterAddress address, bool isDefault, TimeSpan connectTimeout, CancellationToken ct)
    {
        if (isDefault
            && (await GatewayProbe.AnsweringAsync([new IPEndPoint(IPAddress.Loopback, ClusterConnectionOptions.DefaultGatewayPort)], ct)).Count == 0)
            return new(Area, "", DoctorStatus.Info,
                $"no silo answers at 127.0.0.1:{ClusterConnectionOptions.DefaultGatewayPort}: submit, status, watch and the other " +
                "cluster verbs need one (gradguess silo); local and train do not");
        try
        {
            await using var connection = await ClusterConnection.ConnectAsync(address, connectTimeout, ct);
            var slots = await connection.Client.GetGrain<IGpuLedgerGrain>(0).GetSlotsAsync().WaitAsync(ct);
            return new(Area, "", DoctorStatus.Ok, $"reached {address.Describe()}: {SlotsView.Summary(slots)}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new(Area, "", DoctorStatus.Fail, $"cannot reach {address.Describe()}: {e.Message}",
                "start a silo (gradguess silo), or check --gateway, --redis and --cluster-id against the silos'");
        }
    }
}
