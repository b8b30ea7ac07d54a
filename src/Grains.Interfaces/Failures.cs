namespace GradGuessCluster.Grains.Interfaces;

/// <summary>What a user should read of a failure that crossed Orleans.</summary>
public static class Failures
{
    /// <summary>The failure itself. Orleans wraps a storage provider's exception in a plain
    /// <see cref="OrleansException"/> whose message repeats the inner one with its stack trace; tasks wrap in
    /// <see cref="AggregateException"/>.</summary>
    public static Exception Cause(Exception e)
    {
        while (true)
        {
            if (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
            else if (e.GetType() == typeof(OrleansException) && e.InnerException is { } inner) e = inner;
            else return e;
        }
    }

    /// <summary>The cause's message on one line.</summary>
    public static string Describe(Exception e) => Cause(e).Message.ReplaceLineEndings(" ");
}
