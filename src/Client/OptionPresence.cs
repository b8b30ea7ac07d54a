using System.CommandLine;

namespace GradGuessCluster.Client;

internal static class OptionPresence
{
    /// <summary>Whether <paramref name="option"/> was written on the command line (not just defaulted).</summary>
    public static bool Gave(this ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
