using System.Net;
using System.Net.Sockets;

namespace GradGuessCluster.Client.Cluster;

/// <summary>A plain TCP connect, to say why a service cannot be reached (or that its port answers) where the client
/// library only says "unable to connect": used for gateways and for Redis.</summary>
internal static class TcpProbe
{
    /// <summary>Why a TCP connect to <paramref name="endpoint"/> fails within <paramref name="limit"/> (the socket's words,
    /// or "no answer (timed out)"), or null when the connection is accepted.</summary>
    public static async Task<string?> ConnectErrorAsync(EndPoint endpoint, TimeSpan limit, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        using var socket = endpoint is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);   // a host name: dual-mode, either family
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token);
            return null;
        }
        catch (SocketException e)
        {
            return e.Message;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return "no answer (timed out)";
        }
    }
}
