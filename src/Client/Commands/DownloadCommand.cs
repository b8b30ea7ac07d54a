using System.CommandLine;
using System.Diagnostics;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Silo.Hosting;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Data.Download;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess download mnist|fashion-mnist|cifar10 [--dir DIR] [--base-url URL]</c>: fetches a data
/// set from its official mirrors (or a local one), verifying the published MD5s.</summary>
internal sealed class DownloadCommand : Command
{
    private readonly Argument<string> _set = new("set") { Description = string.Join(" | ", DownloadCatalog.Sets) };
    private readonly Option<string?> _dir = new Option<string?>("--dir")
    {
        Description = "Target directory (default: $XDG_CACHE_HOME/gradguess/SET or ~/.cache/gradguess/SET, where training looks, except for fashion-mnist while Debian's dataset-fashion-mnist folder exists)",
    }.NotEmpty();
    private readonly Option<string?> _baseUrl = new("--base-url")
    {
        Description = "Fetch the files from this base URL instead of the official mirrors (e.g. a local mirror)",
    };

    public DownloadCommand() : base("download", "Download a data set and verify its published checksums")
    {
        _set.AcceptOnlyFromAmong([.. DownloadCatalog.Sets]);
        Arguments.Add(_set);
        Options.Add(_dir);
        Options.Add(_baseUrl);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var set = parse.GetValue(_set)!;
        var text = parse.GetValue(_baseUrl);
        Uri? baseUrl = null;
        if (text is not null && (!Uri.TryCreate(text, UriKind.Absolute, out baseUrl) || baseUrl.Scheme is not ("http" or "https")))
            throw new UsageException($"--base-url: '{text}' is not an absolute http(s) URL");
        var dir = Path.GetFullPath(parse.GetValue(_dir) ?? DataLocations.CacheDirectory(set));
        bool existed = Directory.Exists(dir);
        HostDirectories.EnsureWritable("--dir", dir);

        using var http = new HttpClient();
        // Made by the writability check and left empty, the default cache directory would be taken for the set's location
        // (and named in every later "missing file" error) on a machine without the data: the downloader removes it.
        dir = await new DatasetDownloader(http).DownloadAsync(set, dir, baseUrl, new ProgressLine(), ct, madeForIt: !existed);

        bool isDefault = Path.GetFullPath(DataLocations.DefaultDirectory(set)) == dir;
        Output.Line(isDefault ? $"{set}: ready in {dir}" : $"{set}: ready in {dir} (train with --data-dir {dir})");
        return ExitCodes.Success;
    }

    /// <summary>Renders download progress synchronously (Progress&lt;T&gt; would post reports out of order),
    /// at most a few times a second, plus each file's final line.</summary>
    private sealed class ProgressLine : IProgress<(string File, long Bytes, long? Total)>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _lastMs = -1000;

        public void Report((string File, long Bytes, long? Total) value)
        {
            bool final = value.Total is { } t ? value.Bytes >= t : false;
            if (!final && _clock.ElapsedMilliseconds - _lastMs < 250) return;
            _lastMs = _clock.ElapsedMilliseconds;
            var size = value.Total is { } total ? $"{Mb(value.Bytes)} / {Mb(total)} MB" : $"{Mb(value.Bytes)} MB";
            Output.Progress($"{value.File}  {size}", final);
        }

        private static string Mb(long bytes) => (bytes / 1e6).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }
}
