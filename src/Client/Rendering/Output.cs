namespace GradGuessCluster.Client.Rendering;

/// <summary>The only writer to the console outside the Spectre renderers: plain lines to stdout and stderr.</summary>
internal static class Output
{
    public static void Line(string text) => Console.Out.WriteLine(text);

    /// <summary>One line on stderr, prefixed so that it reads well after a shell prompt. Messages echo what the user
    /// typed (an option, a path, a value), so control characters are shown as '?' (as a spec's values are,
    /// <see cref="GradGuessCluster.Grains.Interfaces.Validation.SpecYamlNodes.Printable"/>): an escape sequence in a
    /// token must not clear or rewrite the terminal.</summary>
    public static void Error(string message) =>
        Console.Error.WriteLine("gradguess: " + Printable(message.ReplaceLineEndings(" ")));

    /// <summary>Lines on stderr, control characters other than line breaks shown as '?' (as <see cref="Error"/>).</summary>
    public static void Info(string message) => Console.Error.WriteLine(Printable(message.ReplaceLineEndings("\n")));

    /// <summary><paramref name="text"/> with tabs as spaces and every other control character but '\n' as '?'.</summary>
    internal static string Printable(string text) =>
        string.Concat(text.Select(c => c switch { '\n' => c, '\t' => ' ', _ when char.IsControl(c) => '?', _ => c }));

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
