using System.Reflection.PortableExecutable;

namespace GradGuessCluster.Client.Bench;

/// <summary>A folder holding a runnable gradguess app, and how many of its assemblies carry ahead-of-time code
/// (ReadyToRun): what decides how much a command's start-up compiles just in time. <paramref name="IlOnly"/>: the file
/// names of those that do not.</summary>
internal sealed record AppBuild(string Directory, int ManagedAssemblies, int ReadyToRunAssemblies, IReadOnlyList<string> IlOnly)
{
    public string Dll => Path.Combine(Directory, "gradguess.dll");

    /// <summary>The app this process runs.</summary>
    public static AppBuild Current() => Read(AppContext.BaseDirectory);

    public static AppBuild Read(string directory)
    {
        directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (!File.Exists(Path.Combine(directory, "gradguess.dll")))
            throw new UsageException($"{directory}: no gradguess.dll there (give a gradguess build or publish folder)");
        int managed = 0, readyToRun = 0;
        var ilOnly = new List<string>();
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.dll"))
        {
            try
            {
                using var pe = new PEReader(File.OpenRead(file));
                if (pe.PEHeaders.CorHeader is not { } cor) continue;
                managed++;
                // A ReadyToRun image points its managed-native header at its READYTORUN_HEADER; IL-only images leave it empty.
                if (cor.ManagedNativeHeaderDirectory.Size > 0) readyToRun++;
                else ilOnly.Add(Path.GetFileName(file));
            }
            catch (BadImageFormatException) { }   // not a PE file
        }
        return new AppBuild(directory, managed, readyToRun, ilOnly.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>For an app published into the build output's <c>publish/</c> (as the Client project does), the build
    /// output beside it: the same assemblies as compiled, without ahead-of-time code. Null elsewhere.</summary>
    public static string? BuildOutputBeside(string publishDirectory)
    {
        var dir = new DirectoryInfo(Path.TrimEndingDirectorySeparator(Path.GetFullPath(publishDirectory)));
        return dir.Name == "publish" && dir.Parent is { } parent && File.Exists(Path.Combine(parent.FullName, "gradguess.dll"))
            ? parent.FullName
            : null;
    }
}
