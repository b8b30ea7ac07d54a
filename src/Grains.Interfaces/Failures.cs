using System.Text.RegularExpressions;

namespace GradGuessCluster.Grains.Interfaces;

/// <summary>What a user should read of a failure that crossed Orleans.</summary>
public static partial class Failures
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

    /// <summary>The cause's message on one line, without the stack frames that some Orleans messages embed (a
    /// connection failure's message ends with its inner exception's trace: "... at Orleans.Runtime... in /_/src/...").</summary>
    public static string Describe(Exception e) => OneLine(Cause(e).Message);

    /// <summary>The call never got an answer from its grain (a timeout, a silo gone or rejecting it): the grain may not even
    /// have seen it, so nothing can be concluded about what the grain does or supports.</summary>
    public static bool IsTransport(Exception e) =>
        Cause(e) is TimeoutException || IsUndelivered(e);

    /// <summary>The call did not reach a grain that could act on it (its silo unreachable, or rejecting the message), or its
    /// silo went away before answering: unlike a timeout to a silo that lives on, the grain most likely did not apply it,
    /// and where its silo died after applying it, the state it changed is the ledger's last write.</summary>
    public static bool IsUndelivered(Exception e) =>
        Cause(e) is SiloUnavailableException or OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException;

    /// <summary><paramref name="message"/> cut before its first stack frame, on one line.</summary>
    public static string OneLine(string message)
    {
        var frame = StackFrame().Match(message);
        var text = frame.Success ? message[..frame.Index] : message;
        return Spaces().Replace(text.ReplaceLineEndings(" "), " ").Trim();
    }

    // "at Namespace.Type.Method(" after whitespace: a .NET stack frame, which never starts a sentence of a message.
    [GeneratedRegex(@"\s+at [\w.`<>+\[\],]+\(")]
    private static partial Regex StackFrame();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();
}
