using System.Diagnostics;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Tests.Shared;

namespace GradGuessCluster.Client.Tests.Cli;

/// <summary>The output files of export, plot and train as a user meets them: stdout by "-", a state directory's files
/// refused, and any legal checkpoint name trained to, or refused before the first epoch where none can be written.</summary>
public sealed class OutFileCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-outcli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("export", "--state-dir", "st/state/gg-sweep/s.sweep.state")]
    [InlineData("plot", "--state-dir", "st/s.png")]
    [InlineData("plot", "--against-state-dir", "st/s.png")]
    public void AnOutFileInsideTheStateDirectoryRead_ExitsTwo_AndLeavesItAlone(string verb, string option, string relative)
    {
        var state = Path.Combine(_dir, "st", "state", "gg-sweep", "s.sweep.state");
        Directory.CreateDirectory(Path.GetDirectoryName(state)!);
        File.WriteAllText(state, "the sweep's state");
        string[] args = [verb, "s", "--out", Path.Combine(_dir, relative), option, Path.Combine(_dir, "st")];
        var r = CliRunner.Run(option == "--state-dir" ? args : [.. args, "--against", "t"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"is inside {option}", Assert.Single(r.StderrLines));
        Assert.Equal("the sweep's state", File.ReadAllText(state));
        Assert.False(File.Exists(Path.Combine(_dir, "st", "s.png")));
    }

    [Fact]
    public void Export_ToDash_PrintsWhatExportWithoutOutPrints()
    {
        var state = GoldenState();
        var plain = CliRunner.Run("export", "golden", "--state-dir", state);
        var dash = CliRunner.Run("export", "golden", "--state-dir", state, "--out", "-");
        Assert.True(dash.ExitCode == 0, dash.Stderr);
        Assert.Equal(plain.Stdout, dash.Stdout);
        Assert.Equal(128, dash.StdoutLines.Length);                   // the header and 127 rows
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "-")));   // CliRunner's working directory
    }

    [Theory]
    [InlineData("/dev/stdout")]
    [InlineData("link")]   // a link to /dev/stdout: the name alone said nothing
    public void Export_ToDevStdout_AppendedToAFile_KeepsWhatTheFileHeld(string @out)
    {
        // /dev/stdout resolves to the file stdout is redirected to, which the atomic write replaced: a loop appending
        // several sweeps' exports (>> all.csv) kept only the last.
        var state = GoldenState();
        if (@out == "link") File.CreateSymbolicLink(@out = Path.Combine(_dir, "rows.csv"), "/dev/stdout");
        var all = Path.Combine(_dir, "all.csv");
        File.WriteAllText(all, "earlier rows\n");
        var (code, stderr) = Bash("dotnet \"$0\" export golden --state-dir \"$1\" --out \"$3\" >> \"$2\"", GradguessApp.Dll, state, all, @out);
        Assert.True(code == 0, stderr);
        var plain = CliRunner.Run("export", "golden", "--state-dir", state);
        Assert.Equal("earlier rows\n" + plain.Stdout, File.ReadAllText(all));
    }

    [Fact]
    public void Export_ToDevStderr_RedirectedToAFile_ExitsTwo_AndTheFileKeepsWhatItHeld()
    {
        // Resolved, /dev/stderr is the file it is redirected to, and the atomic write replaced it with the rows.
        var state = GoldenState();
        var log = Path.Combine(_dir, "err.log");
        File.WriteAllText(log, "earlier lines\n");
        var (code, _) = Bash("dotnet \"$0\" export golden --state-dir \"$1\" --out /dev/stderr 2>> \"$2\"", GradguessApp.Dll, state, log);
        Assert.Equal(2, code);
        Assert.Equal(["earlier lines", "gradguess: --out: /dev/stderr leads to file descriptor 2 of this process, which is redirected to a " +
                      "file that writing here would replace; name a file"], File.ReadAllLines(log));
    }

    /// <summary>A copy of the golden state directory (sweep "golden"), in this test's directory.</summary>
    private string GoldenState()
    {
        var state = Path.Combine(_dir, "state");
        DirectoryCopy.Copy(Path.Combine(RepoRoot.Path, "tests", "TestData", "state-2026-11-30"), state);
        return state;
    }

    private static (int ExitCode, string Stderr) Bash(string script, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-c", script, .. args]) psi.ArgumentList.Add(a);
        using var bash = Process.Start(psi)!;
        var stderr = bash.StandardError.ReadToEnd();
        bash.WaitForExit();
        return (bash.ExitCode, stderr);
    }

    [Fact]
    public void Export_ToAFifoItMayNotWrite_ExitsTwoBeforeTheWork()
    {
        // A FIFO or a device is written through, and was not checked before the work: it failed only at the end (exit 1).
        var state = GoldenState();
        var fifo = Path.Combine(_dir, "rows.csv");
        using (var mkfifo = Process.Start("mkfifo", ["-m", "444", fifo])) mkfifo.WaitForExit();
        var r = CliRunner.RunHeldToFileModes("export", "golden", "--state-dir", state, "--out", fifo);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"gradguess: --out: cannot write {fifo}: permission denied", Assert.Single(r.StderrLines));
        Assert.Empty(r.Stdout);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Export_OverAReadOnlyFile_ExitsTwoBeforeTheWork_AndLeavesIt()
    {
        // The rename replaced a file `>` would refuse: its directory was writable, the file itself not.
        var state = GoldenState();
        var rows = Path.Combine(_dir, "rows.csv");
        File.WriteAllText(rows, "kept");
        File.SetUnixFileMode(rows, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var r = CliRunner.RunHeldToFileModes("export", "golden", "--state-dir", state, "--out", rows);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"gradguess: --out: cannot write {rows}: permission denied", Assert.Single(r.StderrLines));
        Assert.Equal("kept", File.ReadAllText(rows));
    }

    [Fact]
    public void Plot_ToDevStdout_WritesThePngThere()
    {
        // Every --out but "-" had to end in .png, so /dev/stdout, a FIFO or a device was refused against the README.
        var state = GoldenState();
        var png = Path.Combine(_dir, "golden.png");
        var psi = new ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", "dotnet \"$0\" plot golden --state-dir \"$1\" --out /dev/stdout > \"$2\"", GradguessApp.Dll, state, png })
            psi.ArgumentList.Add(a);
        using var bash = Process.Start(psi)!;
        var stderr = bash.StandardError.ReadToEnd();
        bash.WaitForExit();
        Assert.True(bash.ExitCode == 0, stderr);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);
    }

    [Fact]
    public void Plot_ToAFileNotNamedPngSvgOrPdf_IsStillRefused_AsIsAFormatItsNameDisagreesWith()
    {
        var r = CliRunner.Run("plot", "golden", "--state-dir", _dir, "--out", Path.Combine(_dir, "golden.jpg"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("expected a .png, .svg or .pdf file", Assert.Single(r.StderrLines));
        var svg = Path.Combine(_dir, "golden.svg");
        var disagree = CliRunner.Run("plot", "golden", "--state-dir", _dir, "--out", svg, "--format", "pdf");
        Assert.Equal((2, $"gradguess: --format pdf and --out '{svg}' disagree: name the file .pdf, or leave --format out"),
            (disagree.ExitCode, Assert.Single(disagree.StderrLines)));
        var unknown = CliRunner.Run("plot", "golden", "--state-dir", _dir, "--out", "-", "--format", "gif");
        Assert.Equal((2, "gradguess: --format: expected png, svg or pdf, got 'gif'"), (unknown.ExitCode, Assert.Single(unknown.StderrLines)));
        Assert.False(File.Exists(svg));
    }

    private static readonly string[] Train = ["train", "--data", "synthetic", "--width", "16", "--depth", "2", "--batch-size", "64",
        "--optimizer", "sgd", "--lr", "0.1", "--epochs", "2"];

    [Fact]
    public void Train_ToACheckpointWithA250CharacterName_TrainsAndWritesIt()
    {
        var checkpoint = Path.Combine(_dir, new string('c', 250));
        var r = CliRunner.Run([.. Train, "--checkpoint", checkpoint]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True(File.Exists(checkpoint));
    }

    [Fact]
    public void Train_ToACheckpointWhereNoFileCanBeCreated_ExitsTwoBeforeTheFirstEpoch()
    {
        var r = CliRunner.Run([.. Train, "--checkpoint", "/proc/gg-cell.ckpt"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("gradguess: --checkpoint: cannot write /proc/gg-cell.ckpt: cannot create a file in /proc", Assert.Single(r.StderrLines));
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public void Train_OnACheckpointAnotherTrainHolds_ExitsTwoBeforeTheFirstEpoch_AndLeavesItAlone()
    {
        // Two trains on one file once both trained and wrote it, each resuming the other's epochs.
        var checkpoint = Path.Combine(_dir, "cell.ckpt");
        using (var held = GradGuessCluster.Training.Checkpoints.CheckpointLock.TryAcquire(checkpoint))
        {
            Assert.NotNull(held);
            var r = CliRunner.Run([.. Train, "--checkpoint", checkpoint]);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("another gradguess train is using it", Assert.Single(r.StderrLines));
            Assert.Empty(r.Stdout);
            Assert.False(File.Exists(checkpoint));
        }
        var after = CliRunner.Run([.. Train, "--checkpoint", checkpoint]);   // the lock ends with its holder
        Assert.True(after.ExitCode == 0, after.Stderr);
        Assert.True(File.Exists(checkpoint));
    }

    [Fact]
    public void Train_OnAHeldCheckpoint_IsRefused_WithDotnetsFileLockingTurnedOff()
    {
        // The variable turns off the flock .NET takes for FileShare.None, which was the checkpoint's whole lock.
        var checkpoint = Path.Combine(_dir, "cell.ckpt");
        using var held = GradGuessCluster.Training.Checkpoints.CheckpointLock.TryAcquire(checkpoint);
        Assert.NotNull(held);
        var noDotnetLocks = new Dictionary<string, string?> { ["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "1" };
        var r = CliRunner.Run(TimeSpan.FromMinutes(3), null, noDotnetLocks, [.. Train, "--checkpoint", checkpoint]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("another gradguess train is using it", Assert.Single(r.StderrLines));
        Assert.False(File.Exists(checkpoint));
    }

    [Theory]
    [InlineData(UnixFileMode.None, "read")]                                        // failed once the data had loaded, exit 1
    [InlineData(UnixFileMode.UserRead | UnixFileMode.GroupRead, "write")]         // replaced by the first epoch's rename
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Train_OnACheckpointItMayNotReadOrWrite_ExitsTwoBeforeTheFirstEpoch_AndLeavesIt(UnixFileMode mode, string what)
    {
        var checkpoint = Path.Combine(_dir, "cell.ckpt");
        var first = CliRunner.Run([.. Train, "--checkpoint", checkpoint]);
        Assert.Equal(0, first.ExitCode);
        var written = File.ReadAllBytes(checkpoint);
        File.SetUnixFileMode(checkpoint, mode);

        var r = CliRunner.RunHeldToFileModes([.. Train, "--checkpoint", checkpoint]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"gradguess: --checkpoint {checkpoint}: cannot {what} it: permission denied", Assert.Single(r.StderrLines));
        Assert.Empty(r.Stdout);
        File.SetUnixFileMode(checkpoint, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(written, File.ReadAllBytes(checkpoint));
    }

    [Fact]
    public void Train_RemovesTheTemporaryFilesThatKilledWritesOfItsCheckpointLeftBehind()
    {
        // A train killed mid-write leaves its temporary file (as large as the checkpoint), which no later run read or removed.
        var checkpoint = Path.Combine(_dir, "cell.ckpt");
        var leftover = GradGuessCluster.Training.IO.UnixPath.HiddenSibling(checkpoint, $"{Guid.NewGuid():N}.tmp");
        var othersFile = GradGuessCluster.Training.IO.UnixPath.HiddenSibling(Path.Combine(_dir, "other.ckpt"), $"{Guid.NewGuid():N}.tmp");
        File.WriteAllText(leftover, "half a checkpoint");
        File.WriteAllText(othersFile, "another file's write");
        var r = CliRunner.Run([.. Train, "--checkpoint", checkpoint]);
        Assert.Equal(0, r.ExitCode);
        Assert.True(File.Exists(checkpoint));
        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(othersFile));
    }
}
