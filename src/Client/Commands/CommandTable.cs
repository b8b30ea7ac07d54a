using System.CommandLine;

namespace GradGuessCluster.Client.Commands;

/// <summary>Every verb of the CLI, one class each in this folder.</summary>
internal static class CommandTable
{
    public static IEnumerable<Command> Create()
    {
        yield return new TrainCommand();
        yield return new BenchCommand([new BenchOrchestrationCommand(), new BenchStartupCommand()]);
        yield return new LocalCommand();
        yield return new DownloadCommand();
        yield return new SiloCommand();
        yield return new PlanCommand();
        yield return new SubmitCommand();
        yield return new StatusCommand();
        yield return new SlotsCommand();
        yield return new WatchCommand();
        yield return new ResultsCommand();
        yield return new CompareCommand();
        yield return new ExportCommand();
        yield return new PlotCommand();
        yield return new CancelCommand();
        yield return new ResumeCommand();
        yield return new PriorityCommand();
        yield return new DeleteCommand();
    }
}
