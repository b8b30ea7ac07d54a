namespace GradGuessCluster.Training.Data.Download;

/// <summary>Where a data set is published: its mirrors (tried in order) and its files with their checksums.</summary>
/// <param name="Set">The data set name (see <see cref="DataSource.KnownSets"/>).</param>
/// <param name="Mirrors">Base URLs ending in '/'; a file's URL is base + name.</param>
public sealed record RemoteDataset(string Set, IReadOnlyList<Uri> Mirrors, IReadOnlyList<RemoteFile> Files)
{
    /// <summary>The same files from one other base URL (a local mirror, or a test server).</summary>
    public RemoteDataset WithBaseUrl(Uri baseUrl)
    {
        var text = baseUrl.ToString();
        return this with { Mirrors = [new Uri(text.EndsWith('/') ? text : text + "/")] };
    }
}
