namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>An incoming call filter that says when the first call <c>matches</c> takes has run inside its grain up to its
/// first await that does not complete at once (a write it queues behind, a call it makes): from then on the grain has it in
/// hand, however slowly the test's machine got it there.</summary>
public sealed class CallUnderWay(Func<IIncomingGrainCallContext, bool> matches) : IIncomingGrainCallFilter
{
    private int _calls;

    public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (!matches(context) || Interlocked.Increment(ref _calls) != 1)
        {
            await context.Invoke();
            return;
        }
        var call = context.Invoke();   // the grain's method runs synchronously until it first waits
        Waiting.TrySetResult();
        await call;
    }
}
