namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>An incoming call filter that holds the first call <c>matches</c> takes until <see cref="Release"/>: a test
/// acts while that call waits at its grain's door (a pack's report, its end), then lets it in.</summary>
public sealed class HeldCall(Func<IIncomingGrainCallContext, bool> matches) : IIncomingGrainCallFilter
{
    private int _calls;

    /// <summary>Set once the held call has arrived.</summary>
    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (matches(context) && Interlocked.Increment(ref _calls) == 1)
        {
            Reached.SetResult();
            await Release.Task;
        }
        await context.Invoke();
    }
}
