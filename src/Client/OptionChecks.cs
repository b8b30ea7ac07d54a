using System.CommandLine;
using System.Globalization;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Client;

/// <summary>Checks of option values made while parsing, so a bad value fails (exit 2) before any connection attempt or
/// directory is touched. They read the token itself: a value that is no number at all is left to the parser's own
/// error (asking the result for its value would throw instead).</summary>
internal static class OptionChecks
{
    public const double MinSeconds = 0.05, MaxSeconds = 86_400;

    /// <summary>A duration in seconds, from 50 ms (shorter polls the cluster in a tight loop) to a day (longer, or not
    /// finite, overflows the timers).</summary>
    public static Option<double> Seconds(this Option<double> option)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && double.TryParse(r.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
                && !(s >= MinSeconds && s <= MaxSeconds))
                r.AddError($"{option.Name} must be from 0.05 to 86400 seconds (a day), got {r.Tokens[0].Value}");
        });
        return option;
    }

    /// <summary>libtorch intra-op threads per pack, from 1 to <see cref="TorchRuntime.MaxThreads"/> (each is an OS thread:
    /// 100,000 once exhausted the machine's process table).</summary>
    public static Option<int> Threads(this Option<int> option)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && int.TryParse(r.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
                && n is < 1 or > TorchRuntime.MaxThreads)
                r.AddError($"{option.Name} must be from 1 to {TorchRuntime.MaxThreads} (libtorch starts that many threads per pack), got {r.Tokens[0].Value}");
        });
        return option;
    }

    /// <summary>A name that is given: "" (or blanks) names nothing. An empty cluster or service id reached Orleans, whose
    /// refusal on connecting read as an unreachable cluster (exit 1).</summary>
    public static Option<T> NotBlank<T>(this Option<T> option)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && string.IsNullOrWhiteSpace(r.Tokens[0].Value)) r.AddError($"{option.Name} must not be empty");
        });
        return option;
    }

    /// <summary>A directory that is named: "" (or blanks) is no path, and the current directory is not meant.</summary>
    public static Option<T> NotEmpty<T>(this Option<T> option)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && string.IsNullOrWhiteSpace(r.Tokens[0].Value)) r.AddError($"{option.Name}: give a directory, not an empty path");
        });
        return option;
    }
}
