namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Ports for silo processes, handed out once per test run. They come from below the kernel's ephemeral range: a port
/// from there is never taken by another process's bind(0) or outbound connection in the time between this check and
/// the silo binding it (the other test assemblies, running in parallel, start `local` silos on ephemeral ports).
/// </summary>
public static class FreePorts
{
    private const int Low = 20000;
    private static readonly HashSet<int> Handed = [];
    private static readonly int High = EphemeralStart() - 1;

    public static int Next()
    {
        lock (Handed)
        {
            for (var tries = 0; tries < 10_000; tries++)
            {
                var port = Random.Shared.Next(Low, High + 1);
                // Never the default gateway port: tests that expect nothing to listen there (a client's default) would meet a
                // silo another test started on it.
                if (port == GradGuessCluster.Client.Cluster.ClusterConnectionOptions.DefaultGatewayPort) continue;
                if (Handed.Contains(port) || !GradGuessCluster.Client.Local.FreePorts.IsFree(port)) continue;
                Handed.Add(port);
                return port;
            }
            throw new InvalidOperationException($"no free port in {Low}-{High}");
        }
    }

    /// <summary>The first port of /proc/sys/net/ipv4/ip_local_port_range (Linux's default 32768 where unreadable).</summary>
    private static int EphemeralStart()
    {
        try
        {
            var first = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            return Math.Max(Low + 1000, int.Parse(first, System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return 32768;
        }
    }
}
