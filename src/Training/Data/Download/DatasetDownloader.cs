using System.Security.Cryptography;
using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Training.Data.Download;

/// <summary>
/// Downloads a published data set into a directory: each file goes to a temporary name beside its target, its MD5
/// is checked against the catalog, and only then is it renamed into place (a failed or mismatched download leaves
/// nothing behind). Files already present and verified are not fetched again; a file of another content under a
/// target name (another set's file of the same name, a damaged copy) is refused before anything is fetched, never
/// overwritten. Archives are unpacked. Mirrors are tried in order; the error after the last one names every URL and
/// what went wrong there.
/// </summary>
public sealed class DatasetDownloader(HttpClient http)
{
    private const int ReportEveryBytes = 1 << 20;

    /// <summary>Downloads the catalog's <paramref name="set"/> into <paramref name="directory"/> (default:
    /// <see cref="DataLocations.CacheDirectory"/>), from <paramref name="baseUrl"/> instead of the official mirrors
    /// when given. Returns the directory to pass as the data directory.</summary>
    public Task<string> DownloadAsync(string set, string? directory = null, Uri? baseUrl = null,
        IProgress<(string File, long Bytes, long? Total)>? progress = null, CancellationToken ct = default, bool madeForIt = false)
    {
        var remote = DownloadCatalog.For(set);
        if (baseUrl is not null) remote = remote.WithBaseUrl(baseUrl);
        return DownloadAsync(remote, directory ?? DataLocations.CacheDirectory(set), progress, ct, madeForIt);
    }

    /// <summary>Downloads every file of <paramref name="remote"/> into <paramref name="directory"/>, then checks that
    /// the set loads from there (<see cref="DatasetLoader.Check"/>). A directory it creates, or that the caller made for
    /// it (<paramref name="madeForIt"/>: the CLI's writability check creates it), is removed again if nothing arrived.</summary>
    public async Task<string> DownloadAsync(RemoteDataset remote, string directory,
        IProgress<(string File, long Bytes, long? Total)>? progress = null, CancellationToken ct = default, bool madeForIt = false)
    {
        bool created = madeForIt || !Directory.Exists(directory);
        Directory.CreateDirectory(directory);
        try
        {
            // Every target is looked at before anything is fetched, so a refused one leaves the directory as it was.
            var todo = remote.Files.Where(f => !(f.Extract && IsLoadable(remote.Set, directory)))   // already unpacked (archive may be gone)
                .Select(f => (File: f, Path: Path.Combine(directory, f.Name))).ToArray();
            var present = todo.Select(t => IsThere(remote.Set, t.Path, t.File)).ToArray();
            for (int i = 0; i < todo.Length; i++)
            {
                var (file, path) = todo[i];
                if (!present[i])
                    await FetchAsync(remote, file, path, progress, ct);
                if (file.Extract)
                    await Task.Run(() => TarGzExtractor.Extract(path, directory, ct), ct);
            }
        }
        catch when (created && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.Delete(directory);                          // nothing arrived: leave no empty directory behind
            throw;
        }
        DatasetLoader.Check(new DataSource(remote.Set, directory));
        return directory;
    }

    private static bool IsLoadable(string set, string directory)
    {
        try
        {
            DatasetLoader.Check(new DataSource(set, directory));
            return true;
        }
        catch (DataFormatException)
        {
            return false;
        }
    }

    /// <summary>True where the published <paramref name="file"/> is at <paramref name="path"/>, false where nothing is;
    /// anything else there throws <see cref="DataFormatException"/> naming it and saying how to proceed.</summary>
    private static bool IsThere(string set, string path, RemoteFile file)
    {
        if (Directory.Exists(path))
            throw new DataFormatException(path, $"is a directory where {set}'s {file.Name} would go; nothing was downloaded: " +
                "download into another --dir, or move it away");
        if (!File.Exists(path)) return false;
        if (FileChecksum.Matches(path, file)) return true;
        var whose = DownloadCatalog.Sets.Where(s => s != set).Select(DownloadCatalog.For)
            .FirstOrDefault(other => other.Files.Any(f => f.Name == file.Name && FileChecksum.Matches(path, f)));
        throw new DataFormatException(path, $"is there already and is not {set}'s published {file.Name} " +
            $"(MD5 {FileChecksum.Md5(path)}, published {file.Md5})" + (whose is null ? "" : $": it is {whose.Set}'s") +
            "; nothing was overwritten: download into another --dir, or move the file away");
    }

    /// <summary>Renames a verified download into place without replacing what another process put there meanwhile: the
    /// same published file is kept, anything else refused.</summary>
    private static void MoveIntoPlace(string set, string temp, string path, RemoteFile file)
    {
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path) || Directory.Exists(path))
        {
            if (!IsThere(set, path, file)) throw;
        }
    }

    private async Task FetchAsync(RemoteDataset remote, RemoteFile file, string path,
        IProgress<(string File, long Bytes, long? Total)>? progress, CancellationToken ct)
    {
        RemoveStaleParts(path);
        var failures = new List<string>();
        foreach (var mirror in remote.Mirrors)
        {
            var url = new Uri(mirror, file.Name);
            var temp = $"{path}.{Guid.NewGuid():N}.part";
            try
            {
                var md5 = await GetAsync(url, temp, file.Name, progress, ct);
                if (md5 != file.Md5 && !FileChecksum.SameContent(temp, file))
                {
                    failures.Add($"{url}: checksum mismatch, expected MD5 {file.Md5}, got {md5}"
                        + (file.ContentMd5 is null ? "" : $" (and its content is not the published content, MD5 {file.ContentMd5})"));
                    continue;
                }
                MoveIntoPlace(remote.Set, temp, path, file);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or HttpIOException)
            {
                failures.Add($"{url}: {e.Message}");
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                failures.Add($"{url}: timed out");
            }
            finally
            {
                BestEffort.Delete(temp);   // no-op after a successful rename; a failed removal must not hide why the download failed
            }
        }
        throw new DownloadException($"could not download {file.Name} for {remote.Set}: " + string.Join("; ", failures));
    }

    /// <summary>A download killed mid-file leaves its part (<c>FILE.GUID.part</c>) behind, which nothing else removes. One
    /// not written for an hour is no download under way (a running one writes as its bytes arrive).</summary>
    internal static void RemoveStaleParts(string path) =>
        LeftoverFiles.Remove(Path.GetDirectoryName(path)!, Path.GetFileName(path) + ".", ".part", DateTime.UtcNow - StalePart);

    private static readonly TimeSpan StalePart = TimeSpan.FromHours(1);

    /// <summary>Streams <paramref name="url"/> into <paramref name="temp"/>, hashing as it goes; returns the MD5.</summary>
    private async Task<string> GetAsync(Uri url, string temp, string name,
        IProgress<(string File, long Bytes, long? Total)>? progress, CancellationToken ct)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        long? total = response.Content.Headers.ContentLength;
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            var buffer = new byte[1 << 16];
            long bytes = 0, reported = 0;
            int got;
            progress?.Report((name, 0, total));
            // HttpClient.Timeout covers only the headers here (ResponseHeadersRead): each read gets as long again, so a
            // mirror that stalls mid-file times out and the next one is tried.
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
            while ((got = await ReadBodyAsync(body, buffer, idle)) > 0)
            {
                md5.AppendData(buffer, 0, got);
                await output.WriteAsync(buffer.AsMemory(0, got), ct);
                bytes += got;
                if (bytes - reported >= ReportEveryBytes)
                {
                    progress?.Report((name, bytes, total));
                    reported = bytes;
                }
            }
            progress?.Report((name, bytes, total));
        }
        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    /// <summary>One read of the response body, given at most HttpClient.Timeout. A connection reset or a TLS failure
    /// comes out of the socket as a plain IOException: made an HttpIOException, it is the mirror's failure (the next
    /// one is tried, and the error names the URL), not this machine's.</summary>
    private async Task<int> ReadBodyAsync(Stream body, byte[] buffer, CancellationTokenSource idle)
    {
        if (http.Timeout != Timeout.InfiniteTimeSpan) idle.CancelAfter(http.Timeout);
        try { return await body.ReadAsync(buffer, idle.Token); }
        catch (IOException e) when (e is not HttpIOException)
        {
            throw new HttpIOException(HttpRequestError.Unknown, "the connection failed mid-file: " + e.Message, e);
        }
    }
}
