namespace GradGuessCluster.Silo.Hosting;

/// <summary>The values of <see cref="SiloHostOptions.Storage"/>.</summary>
public static class StorageKinds
{
    public const string File = "file";
    public const string Redis = "redis";
    public const string Postgres = "postgres";

    public static readonly string[] All = [File, Redis, Postgres];
}
