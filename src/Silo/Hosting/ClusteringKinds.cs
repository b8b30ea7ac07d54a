namespace GradGuessCluster.Silo.Hosting;

/// <summary>The values of <see cref="SiloHostOptions.Clustering"/>.</summary>
public static class ClusteringKinds
{
    public const string Localhost = "localhost";
    public const string Redis = "redis";
    public const string Postgres = "postgres";

    public static readonly string[] All = [Localhost, Redis, Postgres];
}
