using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace GradGuessCluster.Grains.Hosting;

/// <summary>Adds the sweep grains, GPU-aware placement and silo metadata to a silo. The host chooses clustering and
/// registers the grain storage named <see cref="GradGuessSiloOptions.StorageName"/> (file, Redis or ADO.NET).</summary>
public static class GradGuessSiloBuilderExtensions
{
    /// <summary>
    /// Registers: the options; silo metadata advertising this silo's training slots (<c>gpu.count</c> — from the options
    /// or detected through TorchSharp —, <c>gpu.slots</c>, <c>cpu.training</c>, <c>cpu.slots</c>, <c>cpu.memory</c>) plus
    /// <see cref="GradGuessSiloOptions.ExtraMetadata"/>; the GPU placement director; the TorchSharp trainer factory and
    /// the data-set check (unless already registered: tests and the overhead bench register their own factory); the
    /// export of this silo's slot use (<see cref="LocalSlotUse"/>); the check that the silos share the checkpoint directory
    /// (<see cref="CheckpointVolumeCheck"/>); and the service that resumes unfinished sweeps on start. Call it on every silo, GPU-less ones included (placement runs
    /// wherever the first call lands). This calls <c>UseSiloMetadata</c>: put other metadata in ExtraMetadata.
    /// </summary>
    public static ISiloBuilder AddGradGuess(this ISiloBuilder silo, Action<GradGuessSiloOptions>? configure = null)
    {
        var options = new GradGuessSiloOptions();
        configure?.Invoke(options);
        Validate(options);
        var gpus = options.GpuCount ?? TorchRuntime.CudaDeviceCount();
        var cpuMemory = options.CpuTrainingMemoryBytes ?? CpuPackMemory.MachineBytes;
        var slots = new SiloSlots(gpus, options.SlotsPerGpu, options.AllowCpuTraining, options.CpuSlots, cpuMemory);
        var metadata = new Dictionary<string, string>(options.ExtraMetadata);
        foreach (var (key, value) in slots.ToMetadata()) metadata[key] = value;
        silo.UseSiloMetadata(metadata);

        var services = silo.Services;
        services.AddSingleton<IOptions<GradGuessSiloOptions>>(Options.Create(options));
        services.AddPlacementDirector<GpuPlacementStrategy, GpuPlacementDirector>();
        services.AddSingleton(sp => new LocalSlotUse(slots, sp.GetRequiredService<ILocalSiloDetails>(), sp.GetRequiredService<CpuPackMemory>()));
        services.AddSingleton(new CpuPackMemory(cpuMemory, options.MachineMemoryCheck ? null : () => null));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<LocalSlotUse>());
        services.TryAddSingleton<IPackTrainerFactory, PackTrainerFactory>();
        services.TryAddSingleton<IDataSetCheck, DataSetCheck>();
        services.TryAddSingleton<SweepsToldToRun>();
        if (!options.ReadOnly && options.CheckpointShareCheckInterval > TimeSpan.Zero)
        {
            services.AddSingleton<CheckpointVolumeCheck>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<CheckpointVolumeCheck>());
        }
        if (!options.ReadOnly && options.ResumeSweeps)
        {
            services.AddSingleton<SweepResumeService>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SweepResumeService>());
        }
        return silo;
    }

    private static void Validate(GradGuessSiloOptions o)
    {
        static void Require(bool ok, string name, object value, string rule)
        {
            if (!ok) throw new OrleansConfigurationException($"Invalid {nameof(GradGuessSiloOptions)}.{name} = {value}: {rule}");
        }
        Require(o.GpuCount is null or (>= 0 and <= SiloSlots.MaxGpus), nameof(o.GpuCount), o.GpuCount!, $"must be 0 to {SiloSlots.MaxGpus}");
        Require(o.SlotsPerGpu is >= 1 and <= SiloSlots.MaxSlots, nameof(o.SlotsPerGpu), o.SlotsPerGpu, $"must be 1 to {SiloSlots.MaxSlots}");
        Require(o.CpuSlots is >= 0 and <= SiloSlots.MaxSlots, nameof(o.CpuSlots), o.CpuSlots, $"must be 0 to {SiloSlots.MaxSlots}");
        Require(o.CpuTrainingMemoryBytes is null or > 0, nameof(o.CpuTrainingMemoryBytes), o.CpuTrainingMemoryBytes!, "must be > 0");
        Require(o.ThreadsPerCell is >= 1 and <= TorchRuntime.MaxThreads, nameof(o.ThreadsPerCell), o.ThreadsPerCell, $"must be 1 to {TorchRuntime.MaxThreads}");
        Require(o.WatchdogInterval > TimeSpan.Zero, nameof(o.WatchdogInterval), o.WatchdogInterval, "must be positive");
        Require(o.PreemptAfter >= TimeSpan.Zero && o.PreemptAfter <= TimeSpan.FromDays(1), nameof(o.PreemptAfter), o.PreemptAfter,
            "must be >= 0 (0: off) and at most a day");
        Require(o.CheckpointShareCheckInterval >= TimeSpan.Zero, nameof(o.CheckpointShareCheckInterval), o.CheckpointShareCheckInterval, "must be >= 0 (0: off)");
        Require(o.ReportFlushTimeout > TimeSpan.Zero, nameof(o.ReportFlushTimeout), o.ReportFlushTimeout, "must be positive");
        Require(!string.IsNullOrWhiteSpace(o.CheckpointDirectory), nameof(o.CheckpointDirectory), o.CheckpointDirectory, "is required");
    }
}
