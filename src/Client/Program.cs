using System.CommandLine;
using GradGuessCluster.Client;
using GradGuessCluster.Client.Commands;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;

var root = new RootCommand("gradguess: sweeps of gradient-guessing training runs on an Orleans cluster");
foreach (var command in CommandTable.Create())
    root.Subcommands.Add(command);

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // One line on stderr for invalid input (SPEC §7), exit code 2.
    Output.Error(ParseErrors.Describe(parse));
    return ExitCodes.InvalidInput;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration
    {
        EnableDefaultExceptionHandler = false,
        // Ctrl-C or SIGTERM cancels the command's token; `local` and `silo` then checkpoint their running cells and stop
        // the silo, bounded by the host's own shutdown budget (`silo`: ShutdownTimeoutSeconds, 120 s by default; the
        // images allow 2-3 min). System.CommandLine must not force the exit before that: its default is 2 s.
        ProcessTerminationTimeout = TimeSpan.FromMinutes(15),
    });
}
catch (OperationCanceledException)
{
    Output.Error("cancelled");
    return ExitCodes.Failure;
}
catch (Exception e)
{
    var cause = Failures.Cause(e);
    Output.Error(StateFileHints.Message(cause));
    return ExitCodes.For(cause);
}
