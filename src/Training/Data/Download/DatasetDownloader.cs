using System.Security.Cryptography;
using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Training.Data.Download;

/// <summary>
/// Downloads a published data set into a directory: each file goes to a temporary name beside its target, its MD5
/// is checked against the catalog, and only then is it renamed into place (a failed or mismatched download leaves
/// nothing behind). Files already present and verified are not fetched again; archives are unpacked. Mirrors are
/// tried in order; the error after the last one names every URL and what went wrong there.
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
            foreach (var file in remote.Files)
            {
                var path = Path.Combine(directory, file.Name);
                if (file.Extract && IsLoadable(remote.Set, directory)) continue;   // already unpacked (archive may be gone)
                if (!FileChecksum.Matches(path, file))
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
                File.Move(temp, path, overwrite: true);
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
