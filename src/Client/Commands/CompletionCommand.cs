using System.CommandLine;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess completion bash|zsh</c>: a tab-completion script for the shell, on stdout. It asks this client,
/// through System.CommandLine's <c>[suggest:N]</c> directive, for the verbs, options and option values at the cursor,
/// and completes file names where it has none (a spec, --out, a checkpoint). It calls the client's assembly directly,
/// not the launcher, so a tab never starts a build.</summary>
internal sealed class CompletionCommand : Command
{
    public static readonly IReadOnlyList<string> Shells = ["bash", "zsh"];

    private readonly Argument<string> _shell = new("shell") { Description = "bash, or zsh (through its bashcompinit)", HelpName = "shell" };

    public CompletionCommand() : base("completion", "Print a tab-completion script for bash or zsh: eval \"$(./gradguess completion bash)\" in ~/.bashrc")
    {
        _shell.CompletionSources.Add([.. Shells]);
        _shell.Validators.Add(r =>
        {
            var token = r.Tokens.Count > 0 ? r.Tokens[0].Value : null;
            if (token is not null && !Shells.Contains(token))
                r.AddError($"completion: a script for bash or zsh, not '{token}' (fish and PowerShell are not supported)");
        });
        Arguments.Add(_shell);
        SetAction(parse =>
        {
            var shell = parse.GetValue(_shell)!;
            Console.Out.Write(CompletionScript.For(shell, ClientCommand()));
            return ExitCodes.Success;
        });
    }

    /// <summary>How to run this client: the dotnet host with this assembly (the launcher's way), or its own executable.</summary>
    private static IReadOnlyList<string> ClientCommand()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, typeof(CompletionCommand).Assembly.Location] : [host];
    }
}
