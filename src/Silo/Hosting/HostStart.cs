using Microsoft.Extensions.Hosting;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>Starting a host whose silo starts before its later services (Kestrel binds last).</summary>
public static class HostStart
{
    /// <summary>Starts <paramref name="app"/>; where that fails, stops what did start before rethrowing: a host disposed
    /// without a stop leaves its silo in the cluster until the other silos find it dead, and its caller may give its
    /// directory lock back meanwhile.</summary>
    public static async Task StartOrStopAsync(this IHost app, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            try { await app.StopAsync(CancellationToken.None); }
            catch (Exception) { /* best effort: the start's failure is what the user needs to read */ }
            throw;
        }
    }
}
