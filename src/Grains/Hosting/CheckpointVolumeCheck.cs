using GradGuessCluster.Grains.Diagnostics;
using GradGuessCluster.Training.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace GradGuessCluster.Grains.Hosting;

/// <summary>
/// Checks, before any pack moves, that this silo's checkpoint directory is the one the other silos use. Each silo writes a
/// marker file in it (<c>{dir}/.silos/{service}/{address}</c>) and looks for the markers of the other active silos. A
/// silo whose marker stays missing does not see this directory (each node has its own disk, say): a pack that moves
/// between the two trains again from epoch 0, and a delete there leaves these checkpoints behind. Said once in the log
/// per silo, and in the gauge <c>gradguess_checkpoint_dir_unshared</c> (other silos not sharing it).
/// </summary>
internal sealed partial class CheckpointVolumeCheck(
    IOptions<GradGuessSiloOptions> options, ILocalSiloDetails silo, IClusterMembershipService membership,
    IOptions<ClusterOptions> cluster, ILogger<CheckpointVolumeCheck> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<SiloAddress, DateTimeOffset> _firstSeen = new();
    private HashSet<string> _unshared = [];
    private Task? _loop;

    private TimeSpan Interval => options.Value.CheckpointShareCheckInterval;

    private string Directory => Path.Combine(options.Value.CheckpointDirectory, ".silos", cluster.Value.ServiceId);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(CheckpointVolumeCheck), ServiceLifecycleStage.Active, _ =>
        {
            _loop = Task.Run(LoopAsync);
            return Task.CompletedTask;
        }, async _ =>
        {
            await _stop.CancelAsync();
            if (_loop is not null) await _loop;
            BestEffort.Delete(Marker(silo.SiloAddress));
        });

    private async Task LoopAsync()
    {
        try
        {
            for (; ; await Task.Delay(Interval, _stop.Token))
            {
                try { Round(DateTimeOffset.UtcNow); }
                catch (Exception e) when (e is not OperationCanceledException) { LogCheckFailed(e.Message); }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Writes this silo's marker, then judges every other active silo that has had two rounds to write its own.
    /// Only presence counts, never a file's time: the silos' clocks need not agree.</summary>
    internal void Round(DateTimeOffset now)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllText(Marker(silo.SiloAddress), silo.Name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogMarkerFailed(Directory, e.Message);
            return;
        }
        var members = membership.CurrentSnapshot.Members.Values;
        var others = members.Where(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(silo.SiloAddress)).ToList();
        foreach (var gone in _firstSeen.Keys.Except(others.Select(m => m.SiloAddress)).ToList()) _firstSeen.Remove(gone);
        var unshared = new HashSet<string>();
        foreach (var other in others)
        {
            var since = _firstSeen.TryAdd(other.SiloAddress, now) ? now : _firstSeen[other.SiloAddress];
            if (now - since >= 2 * Interval && !File.Exists(Marker(other.SiloAddress))) unshared.Add(other.Name);
        }
        foreach (var name in unshared.Except(_unshared)) LogUnshared(options.Value.CheckpointDirectory, name);
        foreach (var name in _unshared.Except(unshared).Where(n => others.Any(o => o.Name == n))) LogShared(options.Value.CheckpointDirectory, name);
        _unshared = unshared;
        SweepInstruments.SetCheckpointDirUnshared(silo.Name, unshared.Count);
        PruneMarkers(members.Where(m => m.Status != SiloStatus.Dead).Select(m => Marker(m.SiloAddress)).ToHashSet(), now);
    }

    /// <summary>Removes the markers of silos the membership lists as dead or no more (another generation of a restarted
    /// silo, a node removed), once they are old enough not to be a silo this snapshot does not know yet.</summary>
    private void PruneMarkers(HashSet<string> keep, DateTimeOffset now)
    {
        try
        {
            foreach (var file in new DirectoryInfo(Directory).EnumerateFiles())
                if (!keep.Contains(file.FullName) && file.LastWriteTimeUtc < now.UtcDateTime - 10 * Interval) BestEffort.Delete(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>The marker of a silo: its address, made a plain file name (<c>10.0.0.5_11111_123456</c>).</summary>
    private string Marker(SiloAddress address) =>
        Path.Combine(Directory, string.Concat(address.ToParsableString().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_')));

    [LoggerMessage(Level = LogLevel.Warning, Message = "The checkpoint directory {Directory} is not shared with silo {Silo}: its marker is not there. A pack that moves between the two trains again from epoch 0; put the checkpoint directory on a volume every silo mounts")]
    private partial void LogUnshared(string directory, string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "The checkpoint directory {Directory} is shared with silo {Silo} again")]
    private partial void LogShared(string directory, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The check that every silo shares the checkpoint directory failed this round: {Reason}")]
    private partial void LogCheckFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot keep this silo's marker in {Directory} ({Reason}); the check that every silo shares the checkpoint directory is skipped")]
    private partial void LogMarkerFailed(string directory, string reason);
}
