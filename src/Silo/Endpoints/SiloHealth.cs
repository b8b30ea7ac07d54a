using System.Diagnostics;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Silo.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace GradGuessCluster.Silo.Endpoints;

/// <summary>Whether the local silo is active: set when the silo reaches its Active stage, cleared as soon as the host
/// starts to stop (its "stopping" phase, in which the last silo also suspends its sweeps, which can take a while, while
/// still serving HTTP) and again when the silo leaves its Active stage. On becoming active it logs its training slots (defaults may have chosen them) and the gateway clients should
/// use: the advertised address, which is not always the one a user would guess (without --advertised-ip a silo picks
/// the machine's first non-loopback address). It also logs the stop's start and end: a stop waits for the packs here to
/// reach an epoch boundary, which can take minutes, and Orleans says nothing of a stop that goes well.</summary>
public sealed partial class SiloHealth(ILocalSiloDetails silo, LocalSlotUse slots, ILogger<SiloHealth> logger)
    : HostPhaseService, ILifecycleParticipant<ISiloLifecycle>
{
    private volatile bool _active;
    private long _stoppingSince;

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
        if (_active)
        {
            _stoppingSince = Stopwatch.GetTimestamp();
            var packs = slots.Held;
            if (packs == 0) LogStoppingIdle(silo.Name);
            else LogStopping(silo.Name, packs);
        }
        _active = false;
        return Task.CompletedTask;
    }

    /// <summary>After Orleans' own stop: the silo has left the cluster, its packs checkpointed.</summary>
    public override Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_stoppingSince != 0) LogStopped(silo.Name, Stopwatch.GetElapsedTime(_stoppingSince).TotalSeconds);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} is active with {Slots}; clients connect with --gateway {Gateway}")]
    private partial void LogReady(string silo, string slots, string gateway);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} stopping: {Packs} pack(s) training here stop at their next epoch boundary and checkpoint")]
    private partial void LogStopping(string silo, int packs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} stopping: no pack trains here")]
    private partial void LogStoppingIdle(string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} stopped and left the cluster in {Seconds:0.0} s")]
    private partial void LogStopped(string silo, double seconds);
}
