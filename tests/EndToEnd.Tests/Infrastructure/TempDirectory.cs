namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>A fresh directory under the system temp folder, deleted on dispose (best effort).</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "gg-e2e")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
