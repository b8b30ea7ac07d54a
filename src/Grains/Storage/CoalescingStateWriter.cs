using Orleans.Storage;

namespace GradGuessCluster.Grains.Storage;

/// <summary>
/// One writer for a grain's persistent state: at most one write in flight, and changes made meanwhile go out together
/// in the next one (group commit). <see cref="SaveAsync"/> returns once a write that includes the caller's change is
/// done; <see cref="ScheduleSave"/> writes shortly, for changes that are recoverable if lost. Use from the grain's own
/// scheduler (single-threaded), where it is safe under reentrancy and against its own fire-and-forget writes.
/// A write that fails, awaited or scheduled, throws to its callers and is retried shortly (its changes are still
/// pending), except on an ETag conflict: the stored state moved on without this activation (another activation wrote it,
/// or a retried write of ours had already succeeded), so the same write can never succeed; <paramref name="onConflict"/>
/// is called instead, typically to deactivate and re-read.
/// </summary>
public sealed class CoalescingStateWriter(Func<Task> write, TimeSpan delay, Action<Exception> onScheduledFailure, Action? onConflict = null)
{
    private Task? _writing, _scheduled;
    private bool _dirty;

    public Task SaveAsync()
    {
        _dirty = true;
        return FlushAsync();
    }

    public void ScheduleSave()
    {
        _dirty = true;
        _scheduled ??= SaveLaterAsync();
    }

    /// <summary>Writes pending changes, if any, after waiting for a write in flight (it may not include them).</summary>
    public async Task FlushAsync()
    {
        while (true)
        {
            if (_writing is { IsCompleted: false } inFlight)
            {
                try { await inFlight; } catch { /* its caller sees the failure; the changes stay dirty */ }
                continue;
            }
            if (!_dirty) return;
            _dirty = false;
            var mine = WriteAsync();
            _writing = mine;
            try
            {
                await mine;
            }
            catch (Exception e)
            {
                _dirty = true;
                // Retried even when a caller awaited it: a caller that only reports the failure would otherwise leave the
                // change in memory alone until some later change happened to be written.
                if (e is InconsistentStateException) onConflict?.Invoke();
                else ScheduleSave();
                throw;
            }
            finally
            {
                if (_writing == mine) _writing = null;
            }
        }
    }

    /// <summary>The write as a task, a synchronous throw included.</summary>
    private async Task WriteAsync() => await write();

    private async Task SaveLaterAsync()
    {
        await Task.Delay(delay);
        _scheduled = null;
        try
        {
            await FlushAsync();
        }
        catch (Exception e)
        {
            onScheduledFailure(e);   // FlushAsync has scheduled the retry (or reported the conflict)
        }
    }
}
