using System.CommandLine;
using GradGuessCluster.Client;
using GradGuessCluster.Client.Commands;
using GradGuessCluster.Client.Rendering;

var root = new RootCommand("gradguess: sweeps of gradient-guessing training runs on an Orleans cluster");
foreach (var command in CommandTable.Create())
    root.Subcommands.Add(command);

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // One line on stderr for invalid input (SPEC §7), exit code 2.
    Output.Error(string.Join("; ", parse.Errors.Select(e => e.Message)));
    return ExitCodes.InvalidInput;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration
    {
        EnableDefaultExceptionHandler = false,
        // Ctrl-C cancels the command's token; `local` then checkpoints its running cells and stops the silo, which takes
        // longer than System.CommandLine's default 2 s before it gives up on the command.
        ProcessTerminationTimeout = TimeSpan.FromSeconds(60),
    });
}
catch (OperationCanceledException)
{
    Output.Error("cancelled");
    return ExitCodes.Failure;
}
catch (Exception e)
{
    var inner = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
    Output.Error(inner.Message);
    return ExitCodes.For(inner);
}
