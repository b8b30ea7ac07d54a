namespace GradGuessCluster.Training.IO;

/// <summary>Removals that clean up after the work and must not fail it: a file another process holds, or a volume that
/// went read-only, is left where it is.</summary>
public static class BestEffort
{
    /// <summary>Deletes <paramref name="path"/>; false where it could not be (an I/O error, no permission).</summary>
    public static bool Delete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Deletes the directory <paramref name="path"/> and all it holds; false where some of it could not be.</summary>
    public static bool DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
