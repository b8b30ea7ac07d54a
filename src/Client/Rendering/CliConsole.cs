using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary>The Spectre console the cluster views write to: full width when stdout is a pipe or file, so tables are not
/// cut at 80 columns in logs and tests.</summary>
internal static class CliConsole
{
    private static readonly Lazy<IAnsiConsole> Lazy = new(() =>
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected) console.Profile.Width = 240;
        return console;
    });

    public static IAnsiConsole Out => Lazy.Value;

    /// <summary>Live displays (progress bars) only on a terminal; otherwise plain lines.</summary>
    public static bool IsInteractive => !Console.IsOutputRedirected && Out.Profile.Capabilities.Interactive;
}
