using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Cli;

/// <summary><c>gradguess completion bash</c>: its script, loaded into a real bash and called as bash calls it on a tab,
/// completes verbs, options and values from the client, and file names where the client has none.</summary>
public sealed class CompletionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-completion-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("gradguess pl", "plan plot")]
    [InlineData("gradguess plot s --wid", "--width")]
    [InlineData("./gradguess plot s --metric st", "step-cosine")]
    [InlineData("gradguess plot s --format p", "pdf png")]
    [InlineData("gradguess results s --metric t", "testAccuracy trainAccuracy")]
    [InlineData("gradguess results s --at b", "best")]
    [InlineData("gradguess train --method activation-", "activation-mixing activation-perturbation")]
    [InlineData("gradguess train --optimizer s", "sgd stable-adamw")]
    [InlineData("gradguess download f", "fashion-mnist")]
    [InlineData("gradguess completion z", "zsh")]
    public async Task ATab_CompletesWhatTheClientKnowsThere(string line, string expected) =>
        Assert.Equal(expected, await CompleteAsync(line));

    [Fact]
    public async Task WhereTheClientKnowsNothing_ATabCompletesFileNames()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "examples"));
        File.WriteAllText(Path.Combine(_dir, "spec-a.yaml"), "");
        File.WriteAllText(Path.Combine(_dir, "spec-b.yaml"), "");

        Assert.Equal("spec-a.yaml spec-b.yaml", await CompleteAsync("gradguess local sp"));
        Assert.Equal("examples", await CompleteAsync("gradguess local ex"));
        Assert.Equal("spec-a.yaml spec-b.yaml", await CompleteAsync("gradguess plot s --out spec"));
        // An option's prefix still gets options, not files.
        Assert.Equal("--state-dir", await CompleteAsync("gradguess local --state-"));
    }

    [Fact]
    public async Task ASweepsName_IsCompletedFromTheLinesStateDirectory_OrTheDefaultOne()
    {
        LocalSpecs.Run(LocalSpecs.Write(_dir, "tabbed", epochs: 1), Path.Combine(_dir, ".gradguess"));
        LocalSpecs.Run(LocalSpecs.Write(_dir, "elsewhere", epochs: 1), Path.Combine(_dir, "other"));

        Assert.Equal("tabbed", await CompleteAsync("gradguess results t"));                       // ./.gradguess
        Assert.Equal("tabbed", await CompleteAsync("gradguess plot t"));
        Assert.Equal("elsewhere", await CompleteAsync("gradguess status --state-dir other e"));
        Assert.Equal("tabbed", await CompleteAsync("gradguess compare tabbed --against-state-dir other --state-dir .gradguess t"));
        // No such directory: no sweep, so the files there (the spec tabbed.yaml).
        Assert.Equal("tabbed.yaml", await CompleteAsync("gradguess results --state-dir nowhere t"));
        // Help names the argument itself, whatever is stored where it runs.
        var help = CliRunner.Run(TimeSpan.FromMinutes(1), _dir, "status", "--help");
        Assert.Contains("gradguess status [<SWEEP>] [options]", help.Stdout);
        Assert.DoesNotContain("tabbed", help.Stdout);
    }

    [Fact]
    public void AnotherShell_IsRefusedNamingTheTwo()
    {
        var run = CliRunner.Run("completion", "fish");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("a script for bash or zsh, not 'fish'", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void TheZshScript_LoadsBashsCompletionApiFirst()
    {
        var run = CliRunner.Run("completion", "zsh");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("autoload -U +X bashcompinit && bashcompinit\n_gradguess_complete() {", run.Stdout);
    }

    /// <summary>Loads the script into bash in the test's directory, sets the line as bash does on a tab at its end, runs the
    /// function and returns its replies, sorted and space-separated.</summary>
    private async Task<string> CompleteAsync(string line)
    {
        var script = CliRunner.Run("completion", "bash");
        Assert.True(script.ExitCode == 0, script.Stderr);
        var path = Path.Combine(_dir, "..", Path.GetFileName(_dir) + ".bash");
        File.WriteAllText(path, script.Stdout);
        try
        {
            var words = line.Split(' ');
            var call = $"source '{path}'; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; COMP_WORDS=({string.Join(' ', words.Select(w => $"'{w}'"))}); " +
                       $"COMP_CWORD={words.Length - 1}; _gradguess_complete; printf '%s\\n' \"${{COMPREPLY[@]}}\"";
            var run = await ExternalTool.RunAsync("bash", "bash", _dir, "-c", call);
            Assert.True(run.ExitCode == 0, run.Stderr);
            return string.Join(' ', run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        }
        finally { File.Delete(path); }
    }
}
