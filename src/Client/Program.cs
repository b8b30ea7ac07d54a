using System.CommandLine;
using System.Globalization;
using GradGuessCluster.Client;
using GradGuessCluster.Client.Commands;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;

// Numbers read and print the same in every locale: System.CommandLine converts decimal options with the current culture
// (--gflops 65.5 read as 655 under de_DE), and its help and errors, which ParseErrors rewrites, would be translated.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

var root = new RootCommand("gradguess: sweeps of gradient-guessing training runs on an Orleans cluster");
foreach (var command in CommandTable.Create())
    root.Subcommands.Add(command);
TopLevelHelpAction.Install(root);   // its verb list writes optional arguments as [<X>], as each verb's usage line does

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // One line on stderr for invalid input (SPEC §7), exit code 2.
    Output.Error(ParseErrors.Describe(parse));
    return ExitCodes.InvalidInput;
}

// Ctrl-C or SIGTERM cancels the command's token; `local` and `silo` then checkpoint their running cells and stop the
// silo, bounded by the host's own shutdown budget (`silo`: ShutdownTimeoutSeconds, 120 s by default; the images allow
// 2-3 min). System.CommandLine's own handling is off (it would force the exit after its timeout, and hide who cancelled).
using var interruption = new Interruption();
try
{
    return await parse.InvokeAsync(new InvocationConfiguration
    {
        EnableDefaultExceptionHandler = false,
        ProcessTerminationTimeout = null,
    }, interruption.Token);
}
// Whatever it ended in: the client's own host also stops on the signal, so a connect under way fails as "cannot reach".
catch (Exception) when (interruption.Requested)
{
    Output.Error("cancelled");
    return ExitCodes.Failure;
}
catch (OperationCanceledException e)
{
    Output.Error($"a request was cancelled by the cluster, not by you (a silo may have gone away; try again): {Failures.OneLine(e.Message)}");
    return ExitCodes.Failure;
}
catch (Exception e)
{
    var cause = Failures.Cause(e);
    Output.Error(StoredStateHints.Message(cause));
    return ExitCodes.For(cause);
}
