using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>
/// Checks, before the host starts, that the silo, gateway and HTTP ports are free on the addresses the host will listen
/// on. Orleans' listeners set SO_REUSEPORT on Linux (.NET's ReuseAddress sets it with SO_REUSEADDR), so a second silo
/// on the same ports would share them with the first, without an error, and clients would reach either at random.
/// </summary>
public static class ListeningPorts
{
    /// <summary>Throws <see cref="PortInUseException"/> naming every port some other socket listens on.</summary>
    public static void ThrowIfTaken(IServiceProvider services, SiloHostOptions options, IPAddress httpAddress)
    {
        var endpoints = services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        var taken = new List<TakenPort>();
        Check(nameof(SiloHostOptions.SiloPort), endpoints.SiloListeningEndpoint ?? Advertised(endpoints, endpoints.SiloPort));
        if (endpoints.GatewayPort != 0)
            Check(nameof(SiloHostOptions.GatewayPort), endpoints.GatewayListeningEndpoint ?? Advertised(endpoints, endpoints.GatewayPort));
        if (options.HttpPort != 0) Check(nameof(SiloHostOptions.HttpPort), new IPEndPoint(httpAddress, options.HttpPort));
        if (taken.Count > 0) throw new PortInUseException(taken);

        void Check(string key, IPEndPoint? endpoint)
        {
            if (endpoint is { Port: > 0 } && InUse(endpoint)) taken.Add(new TakenPort(key, endpoint));
        }
    }

    private static IPEndPoint? Advertised(EndpointOptions e, int port) =>
        e.AdvertisedIPAddress is { } address ? new IPEndPoint(address, port) : null;

    /// <summary>Whether binding <paramref name="endpoint"/> fails because the port is taken. The probe sets SO_REUSEADDR
    /// alone, never SO_REUSEPORT: a socket listening on the port (with or without either option) still refuses it, but
    /// connections a silo that just stopped left in TIME_WAIT do not. Any other failure (an address not on this machine, a
    /// privileged port) is left for the host to report.</summary>
    public static bool InUse(IPEndPoint endpoint)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // .NET's ReuseAddress option would set SO_REUSEPORT too on Unix, which is what lets listeners share a port.
        if (OperatingSystem.IsLinux()) socket.SetRawSocketOption(SolSocketLinux, SoReuseAddrLinux, BitConverter.GetBytes(1));
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()) socket.SetRawSocketOption(SolSocketBsd, SoReuseAddrBsd, BitConverter.GetBytes(1));
        else socket.ExclusiveAddressUse = true;
        try
        {
            socket.Bind(endpoint);
            socket.Listen(1);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private const int SolSocketLinux = 1, SoReuseAddrLinux = 2, SolSocketBsd = 0xffff, SoReuseAddrBsd = 4;
}

/// <summary>A port the host would listen on: <see cref="Key"/> is its setting in <see cref="SiloHostOptions"/>.</summary>
public sealed record TakenPort(string Key, IPEndPoint Endpoint);

/// <summary>Ports the host would listen on are in use by another process; the message names each by its setting.</summary>
public sealed class PortInUseException(IReadOnlyList<TakenPort> taken) : Exception(string.Join("; ", taken.Select(t =>
    $"{SiloHostOptions.SectionName}:{t.Key} {t.Endpoint.Port}: the port is in use on {t.Endpoint.Address} (another silo?); choose another")))
{
    public IReadOnlyList<TakenPort> Taken { get; } = taken;
}
