using System.Diagnostics;
using GradGuessCluster.Grains.Diagnostics;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Training;
using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Grains.Cells;

/// <summary>The epoch loop. Epoch records are durably stored by the coordinator before any checkpoint that covers them
/// is written, so a resumed pack never leaves a gap in a curve (the epochs it re-runs are re-reported and ignored).</summary>
public sealed partial class TrainingCellGrain
{
    private readonly List<EpochRecord> _pending = [];
    private CellLabels[] _labels = [];

    private async Task RunAsync(PackWork work, string device, CancellationToken stop)
    {
        var coordinator = GrainFactory.GetGrain<ISweepCoordinatorGrain>(work.Sweep);
        var checkpoint = CheckpointPath(work);
        var labels = work.Cells.Select(c => new CellLabels(work.Sweep, c.Config.Method, c.Config.Optimizer, c.Config.LearningRate, c.Config.Seed)).ToArray();
        _labels = labels;
        IPackTrainer? trainer = null;
        PackRunState end;
        string? error = null, yieldedTo = null;
        PackStopCause? stopCause = null;
        try
        {
            var spec = PackSpecBuilder.Build(work);
            trainer = await Task.Run(() =>
            {
                var stale = CheckpointFiles.RemoveOtherIncarnations(options.Value.CheckpointDirectory, work.Sweep, work.PackId, work.Incarnation);
                if (stale > 0) LogRemovedStaleFiles(this.GetPrimaryKeyString(), stale);
                var leftovers = CheckpointFiles.RemoveLeftoverWrites(options.Value.CheckpointDirectory, work.Sweep, work.PackId, work.Incarnation);
                if (leftovers > 0) LogRemovedLeftoverWrites(this.GetPrimaryKeyString(), leftovers);
                ApplyThreads();
                return factory.Open(spec, CheckpointFiles.Existing(checkpoint), device);
            });
            _epochs = trainer.EpochsCompleted;
            if (_epochs > 0) LogResumed(this.GetPrimaryKeyString(), _epochs);
            if (trainer.NumericsChange is { } change) LogResumedUnderOtherNumerics(this.GetPrimaryKeyString(), change.Stored, change.Now);
            // A divergence stored after the checkpoint is trained again from it, and recorded again if it comes again: a
            // run on a GPU need not repeat it (its sums are not bit-exact), and then it would end a healthy cell.
            foreach (var cellId in State.DivergedAt.Where(kv => kv.Value > _epochs).Select(kv => kv.Key).ToList())
                State.DivergedAt.Remove(cellId);
            var checkpointed = trainer.EpochsCompleted;
            var agreed = await StartAgreedAsync(coordinator, work, spec, trainer, checkpoint);
            if (agreed) await ReportCarriedAsync(coordinator, work, checkpoint);
            var yieldAsks = new YieldAsks(options.Value.WatchdogInterval, options.Value.PreemptAfter);
            var epochClock = new Stopwatch();
            while (agreed && !trainer.IsFinished && !stop.IsCancellationRequested)
            {
                epochClock.Restart();
                // A stop mid-epoch checkpoints the epoch's start, unless a checkpoint holds it already: then no copy
                // of the pack is kept to roll back to (a wide pack's largest saving of memory).
                var rollBack = trainer.EpochsCompleted != checkpointed;
                IReadOnlyList<EpochMetrics?> metrics;
                try
                {
                    metrics = await Task.Run(() =>
                    {
                        ApplyThreads();
                        return trainer.RunEpoch(stop, rollBack);
                    });
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
                _epochs = trainer.EpochsCompleted;
                if (Collect(work, metrics, labels)) await StoreDivergenceAsync();
                await ReportAsync(coordinator, work, mustFlush: false);
                var atCheckpoint = _epochs % work.Spec.CheckpointEvery == 0 || trainer.IsFinished;
                if (atCheckpoint) checkpointed = await CheckpointAsync(trainer, coordinator, work, checkpoint, checkpointed);
                if (yieldAsks.Due(atCheckpoint, work.Spec.Epochs - _epochs, epochClock.Elapsed) && await YieldToAsync() is { } to)
                {
                    yieldedTo = to;
                    LogYielding(work.Sweep, work.PackId, _epochs, to);
                    break;
                }
            }
            // A stopped pack (cancelled, suspended, or yielding between checkpoints) checkpoints where it stands.
            if (!trainer.IsFinished) await CheckpointAsync(trainer, coordinator, work, checkpoint, checkpointed);
            // Finished only once every record is stored: records still pending (saved beside the checkpoint) must be
            // reported by a resumed run, which the coordinator starts for a stopped pack, not for a finished one. A run that
            // could not reach its coordinator to start has not even read those saved beside its checkpoint.
            end = agreed && trainer.IsFinished && _pending.Count == 0 ? PackRunState.Finished : PackRunState.Stopped;
        }
        catch (Exception e) when (DeviceOutOfMemory.Is(e))
        {
            // Not the cells' failure: the device's memory is shared, and the next try may fit. No checkpoint of a state
            // that may be half-stepped: the next run resumes from the last one (the epochs it re-runs are ignored).
            error = $"ran out of memory on {_device} of {silo.Name} in epoch {_epochs + 1}: {Failures.OneLine(e.Message)}";
            LogStoppedToRetry(this.GetPrimaryKeyString(), error);
            (end, stopCause) = (PackRunState.Stopped, PackStopCause.DeviceMemory);
        }
        catch (CheckpointWriteException e)
        {
            // Nor is a full checkpoint volume: the last checkpoint stands (writes are atomic), and the epochs after it are
            // trained again on the next run (their stored records are ignored as such).
            error = e.Message;
            LogStoppedToRetry(this.GetPrimaryKeyString(), error);
            (end, stopCause) = (PackRunState.Stopped, PackStopCause.CheckpointWrite);
        }
        catch (Exception e)
        {
            LogLoopFault(e, this.GetPrimaryKeyString());
            // A problem the user can fix (data, checkpoint, a setting) reads as its message; anything else keeps its
            // type, which is what a bug report needs.
            var message = e is DataFormatException or CheckpointCorruptException or CheckpointUnreadableException or InvalidSettingException
                or DataChangedException ? e.Message : e.GetType().Name + ": " + e.Message;
            (end, error) = (PackRunState.Failed, message);
            // A resume would only read the same file again: say how to get past it. Retraining is safe because the
            // epochs it re-runs are re-reported and ignored, so the stored curve stays as it is.
            if (e is CheckpointCorruptException) error += "; to retrain this pack from epoch 0, move that file away and resume the sweep";
            // Not found wrong, only not read (a volume's hiccup, say): moving it away would throw its epochs away.
            if (e is CheckpointUnreadableException) error += "; the file was not found corrupt: once it can be read, resume the sweep";
        }
        finally
        {
            // A trainer that fails to free its tensors must not keep the end from being told: unheard, the pack would be
            // started again and again, and its slot held meanwhile.
            try { trainer?.Dispose(); }
            catch (Exception e) { LogTrainerDisposeFailed(this.GetPrimaryKeyString(), Failures.Describe(e)); }
        }
        await EndAsync(work, coordinator, end, error, yieldedTo, stopCause);
    }

    /// <summary>Asks the slot ledger whether a sweep waiting for a slot should have this one (see
    /// <see cref="IGpuLedgerGrain.YieldSlotAsync"/>); null, to train on, when it cannot be asked.</summary>
    private async Task<string?> YieldToAsync()
    {
        try { return await SlotLedger.YieldSlotAsync(this.GetGrainId()); }
        catch (Exception e)
        {
            LogYieldAskFailed(this.GetPrimaryKeyString(), e.Message);
            return null;
        }
    }

    /// <summary>Tells the coordinator what data the pack is about to train on and from which epoch; throws
    /// <see cref="DataChangedException"/> when the sweep trained on other data. False when the coordinator cannot be
    /// reached: the pack stops before its first epoch, and is started again by the coordinator (its watchdog, when the
    /// stop cannot be reported either).</summary>
    private async Task<bool> StartAgreedAsync(ISweepCoordinatorGrain coordinator, PackWork work, PackSpec spec, IPackTrainer trainer,
        string checkpoint)
    {
        var read = trainer.DataDigest is { } digest ? new DataRead(digest, DataLocations.Describe(spec.Data), silo.Name) : null;
        var numerics = trainer.NumericsChange is { } change ? new ResumedNumerics(change.Stored, change.Now) : null;
        var start = new PackStart(silo.Name, trainer.EpochsCompleted, checkpoint, read, _run, numerics);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await coordinator.PackStartingAsync(work.PackId, work.Incarnation, start) is not { } refusal
                    ? true : throw new DataChangedException(refusal);
            }
            catch (Exception e) when (e is not DataChangedException)
            {
                LogReportFailed(this.GetPrimaryKeyString(), attempt, e.Message);
                if (attempt >= 5 || _abort.IsCancellationRequested) return false;
                try { await Task.Delay(TimeSpan.FromMilliseconds(100 << attempt), _abort.Token); } catch (OperationCanceledException) { return false; }
            }
        }
    }

    /// <summary>Queues the epoch's records and records metrics; true when a cell diverged in this epoch.</summary>
    private bool Collect(PackWork work, IReadOnlyList<EpochMetrics?> metrics, CellLabels[] labels)
    {
        var diverged = false;
        int? timedBy = null;
        for (var i = 0; i < metrics.Count; i++)
        {
            if (metrics[i] is not { } m) continue;
            timedBy ??= i;
            var cellId = work.Cells[i].CellId;
            _pending.Add(EpochRecordOf.Metrics(cellId, m));
            SweepInstruments.EpochCompleted(labels[i], m.Seconds, m.Samples, m.TrainLoss, m.TrainAccuracy, m.TestAccuracy, m.CosineSimilarity,
                m.StepCosine);
            if (m.Diverged)
            {
                SweepInstruments.ForgetCell(labels[i]);   // its accuracies and loss would describe NaN weights
                if (State.DivergedAt.TryAdd(cellId, m.Epoch)) diverged = true;
            }
        }
        if (timedBy is { } t) SweepInstruments.PackEpochTimed(labels[t], metrics[t]!.Seconds);
        return diverged;
    }

    /// <summary>Sends the pending records; with <paramref name="mustFlush"/>, retries until the coordinator has them,
    /// the pack is stopping (5 attempts), the activation is being torn down, or ReportFlushTimeout has passed. True when
    /// nothing is pending any more.</summary>
    private async Task<bool> ReportAsync(ISweepCoordinatorGrain coordinator, PackWork work, bool mustFlush)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        var clock = Stopwatch.StartNew();
        for (var attempt = 1; _pending.Count > 0; attempt++)
        {
            try
            {
                var reply = await coordinator.ReportEpochsAsync(work.PackId, work.Incarnation, _pending.ToArray());
                _pending.Clear();
                if (reply.Stop) _stop?.Cancel();
            }
            catch (Exception e)
            {
                LogReportFailed(this.GetPrimaryKeyString(), attempt, e.Message);
                if (!mustFlush || _abort.IsCancellationRequested || (_stop?.IsCancellationRequested == true && attempt >= 5)
                    || clock.Elapsed >= options.Value.ReportFlushTimeout) return false;
                try { await Task.Delay(delay, _abort.Token); } catch (OperationCanceledException) { return false; }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
        return true;
    }

    /// <summary>Records an earlier run of this pack saved beside its checkpoint go out before any new epoch.</summary>
    private async Task ReportCarriedAsync(ISweepCoordinatorGrain coordinator, PackWork work, string checkpoint)
    {
        var path = UnstoredRecords.PathFor(checkpoint);
        var carried = UnstoredRecords.Read(path, work);
        if (carried.Count == 0) return;
        _pending.InsertRange(0, carried);
        LogCarried(this.GetPrimaryKeyString(), carried.Count);
        if (await ReportAsync(coordinator, work, mustFlush: true)) UnstoredRecords.Delete(path);
    }

    /// <summary>Checkpoints once every record up to this epoch is stored, or, when the coordinator cannot be reached,
    /// with the records it has not stored saved beside the checkpoint. Returns the epoch of the latest checkpoint.</summary>
    private async Task<int> CheckpointAsync(IPackTrainer trainer, ISweepCoordinatorGrain coordinator, PackWork work, string path, int checkpointed)
    {
        var epoch = trainer.EpochsCompleted;
        if (epoch == checkpointed) return checkpointed;
        var unstored = UnstoredRecords.PathFor(path);
        var stored = await ReportAsync(coordinator, work, mustFlush: true);
        var watch = new Stopwatch();
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (stored)
                UnstoredRecords.Delete(unstored);
            else
            {
                UnstoredRecords.Write(unstored, _pending.ToArray());
                LogSavedUnstored(this.GetPrimaryKeyString(), _pending.Count, epoch);
            }
            watch.Start();
            await Task.Run(() => trainer.SaveCheckpoint(path));
        }
        catch (Exception e) when (CheckpointWriteException.IsNoSpace(e))
        {
            throw new CheckpointWriteException(path, silo.Name, epoch, e);
        }
        SweepInstruments.CheckpointWritten(watch.Elapsed.TotalSeconds, work.Sweep, work.Cells[0].Config.Method);
        LogCheckpoint(work.Sweep, work.PackId, epoch);
        return epoch;
    }

    /// <summary>Stores that a cell diverged, as soon as it did. A failure is no reason to fail the pack's other cells: the
    /// divergence is in the records the coordinator is sent, and stored again when the pack ends.</summary>
    private async Task StoreDivergenceAsync()
    {
        try { await state.WriteStateAsync(); }
        catch (Exception e) { LogDivergenceUnstored(this.GetPrimaryKeyString(), Failures.Describe(e)); }
    }

    private async Task EndAsync(PackWork work, ISweepCoordinatorGrain coordinator, PackRunState end, string? error, string? yieldedTo,
        PackStopCause? stopCause)
    {
        if (end != PackRunState.Stopped)
            State.Outcomes = work.Cells.Select(c => State.DivergedAt.TryGetValue(c.CellId, out var at)
                ? new CellOutcome(c.CellId, CellState.Diverged, at)
                : end == PackRunState.Finished ? new CellOutcome(c.CellId, CellState.Completed, work.Spec.Epochs)
                : new CellOutcome(c.CellId, CellState.Failed, _epochs, error)).ToList();
        State.RunState = end;
        // A stopped pack is not done: its next run reports these cells, here or on another silo (a yield, a cancel that
        // is resumed), so they are forgotten at once. Finished or failed cells keep their last values a few minutes.
        foreach (var cell in _labels)
            if (end == PackRunState.Stopped) SweepInstruments.ForgetCell(cell);
            else SweepInstruments.CellStopped(cell);
        try { await state.WriteStateAsync(); } catch (Exception e) { LogLoopFault(e, this.GetPrimaryKeyString()); }
        await ReleaseSlotAsync();
        LogEnded(work.Sweep, work.PackId, end, _epochs);
        var progress = end == PackRunState.Stopped
            ? new PackProgress(end, _epochs, silo.Name, _device, State.Outcomes, yieldedTo, StopReason: error, Run: _run, StopCause: stopCause)
            : new PackProgress(end, _epochs, silo.Name, _device, State.Outcomes, Run: _run);
        var (delay, clock) = (TimeSpan.FromMilliseconds(100), Stopwatch.StartNew());
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await coordinator.PackEndedAsync(work.PackId, work.Incarnation, progress)) await ForgetDeletedSweepAsync(work);
                break;
            }
            catch (Exception e)
            {
                // Given up, the coordinator's watchdog re-pokes this pack and reads the outcome then: from a new activation,
                // once placement finds it a free slot, which on a full cluster can wait behind other packs. A coordinator
                // moving off a dead silo is unreachable for seconds: a report it never got is retried as epoch reports are
                // (without the slot, released above). Others three times: one that timed out may have been applied, and
                // applied again after the pack was started anew it would take the new run for ended. A pack told to stop
                // (a silo shutting down waits on this loop) five times at most, as its epoch reports.
                LogReportFailed(this.GetPrimaryKeyString(), attempt, e.Message);
                if (_abort.IsCancellationRequested || (!Failures.IsUndelivered(e) && attempt >= 3)
                    || (_stop?.IsCancellationRequested == true && attempt >= 5)
                    || clock.Elapsed >= options.Value.ReportFlushTimeout) break;
                try { await Task.Delay(delay, _abort.Token); } catch (OperationCanceledException) { break; }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
        this.DelayDeactivation(TimeSpan.Zero);
        this.DeactivateOnIdle();
    }

    /// <summary>The sweep was deleted while this pack was stopping (its coordinator had stopped waiting for it): the
    /// checkpoint and state it wrote since belong to no sweep, and nothing else would remove them.</summary>
    private async Task ForgetDeletedSweepAsync(PackWork work)
    {
        var removed = CheckpointFiles.RemovePack(options.Value.CheckpointDirectory, work.Sweep, work.PackId, work.Incarnation);
        try
        {
            await state.ReadStateAsync();   // the delete cleared the storage behind this activation's back: take its ETag
            if (state.RecordExists) await state.ClearStateAsync();
        }
        catch (Exception e) { LogLoopFault(e, this.GetPrimaryKeyString()); }
        state.State = new TrainingCellState();
        LogForgotDeletedSweep(work.Sweep, work.PackId, removed);
    }

    private string CheckpointPath(PackWork work) =>
        CheckpointFiles.PackPath(options.Value.CheckpointDirectory, work.Sweep, work.PackId, work.Incarnation);

    private void ApplyThreads()
    {
        if (factory is PackTrainerFactory) TorchRuntime.SetThreads(options.Value.ThreadsPerCell);
    }
}
