namespace GradGuessCluster.Client.Rendering;

/// <summary>The only writer to the console outside the Spectre renderers: plain lines to stdout and stderr.</summary>
internal static class Output
{
    public static void Line(string text) => Console.Out.WriteLine(text);

    /// <summary>One line on stderr, prefixed so that it reads well after a shell prompt.</summary>
    public static void Error(string message) =>
        Console.Error.WriteLine("gradguess: " + message.ReplaceLineEndings(" "));

    public static void Info(string message) => Console.Error.WriteLine(message);

    /// <summary>A progress line on stderr: redrawn in place on a terminal; when stderr is redirected (logs, CI),
    /// only the final state of each line is written.</summary>
    public static void Progress(string text, bool final)
    {
        if (!Console.IsErrorRedirected)
            Console.Error.Write("\r" + text.PadRight(72) + (final ? Environment.NewLine : ""));
        else if (final)
            Console.Error.WriteLine(text);
    }
}
