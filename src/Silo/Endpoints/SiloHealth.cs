using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Silo.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace GradGuessCluster.Silo.Endpoints;

/// <summary>Whether the local silo is active: set when the silo reaches its Active stage, cleared as soon as the host
/// starts to stop (its "stopping" phase, in which the last silo also suspends its sweeps, which can take a while, while
/// still serving HTTP) and again when the silo leaves its Active stage. On becoming active it logs its training slots (defaults may have chosen them) and the gateway clients should
/// use: the advertised address, which is not always the one a user would guess (without --advertised-ip a silo picks
/// the machine's first non-loopback address).</summary>
public sealed partial class SiloHealth(ILocalSiloDetails silo, LocalSlotUse slots, ILogger<SiloHealth> logger)
    : HostPhaseService, ILifecycleParticipant<ISiloLifecycle>
{
    private volatile bool _active;

    public bool IsActive => _active;

    /// <summary>host:port of this silo's client gateway, or null for a silo without one.</summary>
    public string? Gateway => silo.GatewayAddress?.Endpoint.ToString();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloHealth), ServiceLifecycleStage.Active,
            _ =>
            {
                _active = true;
                LogReady(silo.Name, slots.Slots.Describe(), Gateway ?? "none");
                return Task.CompletedTask;
            },
            _ =>
            {
                _active = false;
                return Task.CompletedTask;
            });

    /// <summary>A stopping silo is no longer ready, even while it still serves grains to suspend its sweeps.</summary>
    public override Task StoppingAsync(CancellationToken cancellationToken)
    {
        _active = false;
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} is active with {Slots}; clients connect with --gateway {Gateway}")]
    private partial void LogReady(string silo, string slots, string gateway);
}
