using System.CommandLine;
using GradGuessCluster.Client.Planning;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess plan SPEC.yaml</c>: validates a spec and says what it would run (cells, packs, steps,
/// evaluations, checkpoints and their size, matmul work, optionally a time) without running or submitting anything.
/// Data that is missing here is a warning, not an error: the silos of a cluster may hold it.</summary>
internal sealed class PlanCommand : Command
{
    private readonly Argument<string> _spec = new("SPEC") { Description = "Sweep spec (YAML)" };
    private readonly Option<bool> _json = new("--json") { Description = "The plan as JSON on stdout" };
    private readonly Option<double?> _gflops = new("--gflops")
    {
        Description = "A slot's matmul rate in GFLOP/s (see `gradguess bench`), for a time estimate",
    };
    private readonly Option<int> _slots = new("--slots") { Description = "Slots training at once, for the time estimate", DefaultValueFactory = _ => 1 };

    public PlanCommand() : base("plan", "Check a sweep spec and show what it would run, without running it")
    {
        Arguments.Add(_spec);
        foreach (var o in new Option[] { _json, _gflops, _slots }) Options.Add(o);
        SetAction(Execute);
    }

    private int Execute(ParseResult parse)
    {
        var (gflops, slots) = (parse.GetValue(_gflops), parse.GetValue(_slots));
        if (gflops is { } g && !(double.IsFinite(g) && g > 0)) throw new UsageException($"--gflops must be a number > 0 (got {g})");
        if (slots < 1) throw new UsageException($"--slots must be >= 1 (got {slots})");
        var plan = SweepPlanner.Build(SweepSpecParser.ParseFile(parse.GetValue(_spec)!), gflops, slots);
        if (parse.GetValue(_json)) JsonOutput.Write(plan);
        else PlanView.Render(plan);
        return ExitCodes.Success;
    }
}
