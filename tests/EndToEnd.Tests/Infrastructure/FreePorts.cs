using System.Net;
using System.Net.Sockets;

namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>Free loopback TCP ports, never the same one twice in a test run.</summary>
public static class FreePorts
{
    private static readonly HashSet<int> Handed = [];

    public static int Next()
    {
        lock (Handed)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (Handed.Add(port)) return port;
            }
        }
    }
}
