using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Client.Local;

/// <summary>How to run the embedded single-silo cluster of <c>gradguess local</c> (and of the orchestration bench).</summary>
/// <param name="StateDirectory">Grain state under <c>state/</c>, checkpoints under <c>checkpoints/</c>, logs under <c>logs/</c>.</param>
/// <param name="MetricsPort">Loopback port for /metrics; null = no HTTP endpoint.</param>
/// <param name="CpuSlots">Cells that train at once on the CPU.</param>
/// <param name="Gpus">CUDA devices to offer; null = detect through TorchSharp.</param>
/// <param name="ReadOnly">Read the state directory without admitting, resuming or writing anything.</param>
/// <param name="Trainers">A trainer factory instead of TorchSharp's (the overhead bench's no-op trainer).</param>
/// <param name="FlushToDisk">fsync every state write.</param>
/// <param name="Deletes">With <paramref name="ReadOnly"/>: hold the directory's lock, so nothing trains there, and let
/// coordinators delete their sweep (<c>gradguess delete --state-dir</c>).</param>
internal sealed record LocalHostOptions(
    string StateDirectory,
    int? MetricsPort = LocalHostOptions.DefaultMetricsPort,
    int CpuSlots = 1,
    int? Gpus = null,
    int ThreadsPerCell = 1,
    bool ReadOnly = false,
    IPackTrainerFactory? Trainers = null,
    bool FlushToDisk = false,
    bool Deletes = false)
{
    public const int DefaultMetricsPort = 9464;

    /// <summary>Packs training at once on each GPU.</summary>
    public int SlotsPerGpu { get; init; } = 1;
    public const string DefaultStateDirectory = ".gradguess";

    public string GrainStateDirectory => Path.Combine(StateDirectory, "state");
    public string CheckpointDirectory => Path.Combine(StateDirectory, "checkpoints");
    public string LogFile => Path.Combine(StateDirectory, "logs", "gradguess-local.log");
}
