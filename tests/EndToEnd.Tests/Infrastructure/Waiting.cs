namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>Polling with a deadline, for conditions on real processes.</summary>
public static class Waiting
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (Exception e) when (e is not WaitAbortedException && DateTime.UtcNow < deadline) { }
            if (DateTime.UtcNow >= deadline) throw new TimeoutException($"timed out after {timeout}: {describe()}");
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(250));
        }
    }
}

/// <summary>Thrown by a wait's condition when waiting longer cannot help (the process it waits for has exited).</summary>
public sealed class WaitAbortedException(string message) : Exception(message);
