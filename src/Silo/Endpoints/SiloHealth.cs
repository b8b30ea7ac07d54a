using Orleans.Runtime;

namespace GradGuessCluster.Silo.Endpoints;

/// <summary>Whether the local silo is active: set when the silo reaches its Active stage, cleared as soon as it starts to stop.</summary>
public sealed class SiloHealth : ILifecycleParticipant<ISiloLifecycle>
{
    private volatile bool _active;

    public bool IsActive => _active;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloHealth), ServiceLifecycleStage.Active,
            _ => { _active = true; return Task.CompletedTask; },
            _ => { _active = false; return Task.CompletedTask; });
}
