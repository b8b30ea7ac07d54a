using System.Net;
using System.Net.Sockets;

namespace GradGuessCluster.Client.Local;

/// <summary>Free loopback ports for the embedded silo (a leftover process on a fixed port would clash).</summary>
internal static class FreePorts
{
    public static int Next() => Distinct(1)[0];

    /// <summary>The silo's and the gateway's ports: two calls to <see cref="Next"/> can get the same port (each is
    /// released before the next is asked for, and the kernel picks at random), so both are held until both are read.</summary>
    public static (int Silo, int Gateway) Pair()
    {
        var ports = Distinct(2);
        return (ports[0], ports[1]);
    }

    /// <summary><paramref name="count"/> different free ports, every listener open until all ports are read.</summary>
    public static int[] Distinct(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                listeners.Add(new TcpListener(IPAddress.Loopback, 0));
                listeners[^1].Start();
            }
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners) listener.Dispose();
        }
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
