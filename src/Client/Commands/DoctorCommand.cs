using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Doctor;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Training.Data;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess doctor</c>: checks this machine before a user's first run on it: libtorch loads (the ELF fix, a
/// CUDA build's libtorch), each device trains a tiny pack (a GPU's backprop held to the CPU's), the data sets at their
/// default places (or those --data and --data-dir name), the state directory, and the cluster the other verbs would
/// reach. Each line as it is found, since the device checks take seconds; exit 1 when any check fails.</summary>
internal sealed class DoctorCommand : Command
{
    private readonly ClusterConnectionOptions _cluster = new();
    private readonly Option<string?> _stateDir = new Option<string?>("--state-dir")
    {
        Description = $"State directory to check (default ./{Local.LocalHostOptions.DefaultStateDirectory}, local's)",
    }.NotEmpty();
    private readonly Option<string[]> _data = new("--data")
    {
        Description = "Check only this data set (repeat for more; default: every set read from files, at its standard place)", HelpName = "SET",
    };
    private readonly Option<string?> _dataDir = new Option<string?>("--data-dir")
    {
        Description = "Where the --data set's files are, as train and a spec's data.dir name it (default: its standard place)",
    }.NotEmpty();
    private readonly Option<bool> _json = new("--json") { Description = "The findings as a JSON array on stdout, nothing else there" };

    public DoctorCommand() : base("doctor", "Check this machine: libtorch and its devices (a tiny training run on each), the data sets, the state directory, the cluster")
    {
        _data.CompletionSources.Add([.. DataSource.KnownSets]);
        Options.Add(_data);
        Options.Add(_dataDir);
        Options.Add(_stateDir);
        _cluster.AddTo(this);
        Options.Add(_json);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        bool json = parse.GetValue(_json);
        var cluster = _cluster.Read(parse);   // a malformed --gateway is a usage error, before seconds of device checks
        var (sets, dataDir) = DataChecks.Selection(parse.GetValue(_data) ?? [], parse.GetValue(_dataDir));
        var findings = new List<DoctorFinding>();
        void Add(DoctorFinding f)
        {
            findings.Add(f);
            if (!json) DoctorView.Line(f);
        }
        Add(RuntimeChecks.System());
        // The device checks run libtorch kernels: off the caller's thread, as train's epochs, so Ctrl+C is heard.
        await Task.Run(() => { foreach (var f in RuntimeChecks.Run(ct)) Add(f); }, ct);
        foreach (var f in DataChecks.Run(sets, dataDir)) Add(f);
        Add(StateChecks.Run(parse.GetValue(_stateDir)));
        Add(await ClusterChecks.RunAsync(cluster, _cluster.IsDefault(parse), _cluster.ConnectTimeout(parse), ct));
        if (json) JsonOutput.Write(findings);
        else Output.Line(DoctorView.Verdict(findings));
        return findings.Any(f => f.Status == DoctorStatus.Fail) ? ExitCodes.Failure : ExitCodes.Success;
    }
}
