using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>
/// Checks, before the host starts, that the silo, gateway and HTTP ports can be listened on at the addresses the host
/// will use. Orleans' listeners set SO_REUSEPORT on Linux (.NET's ReuseAddress sets it with SO_REUSEADDR), so a second
/// silo on the same ports would share them with the first, without an error, and clients would reach either at random.
/// An address that is not this machine's, or a port it may not take, failed only once the silo had started and joined
/// the cluster (Kestrel binds last), leaving it there until the others declared it dead.
/// </summary>
public static class ListeningPorts
{
    /// <summary>Throws <see cref="PortInUseException"/> naming every port that cannot be listened on, and why.</summary>
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
            if (endpoint is { Port: > 0 } && Probe(endpoint) is { } problem) taken.Add(new TakenPort(key, endpoint, problem));
        }
    }

    private static IPEndPoint? Advertised(EndpointOptions e, int port) =>
        e.AdvertisedIPAddress is { } address ? new IPEndPoint(address, port) : null;

    /// <summary>Whether binding <paramref name="endpoint"/> fails because the port is taken.</summary>
    public static bool InUse(IPEndPoint endpoint) => Probe(endpoint) == PortProblem.InUse;

    /// <summary>Why <paramref name="endpoint"/> cannot be listened on, or null. The probe sets SO_REUSEADDR alone, never
    /// SO_REUSEPORT: a socket listening on the port (with or without either option) still refuses it, but connections a
    /// silo that just stopped left in TIME_WAIT do not. Other failures are left for the host to report.</summary>
    public static PortProblem? Probe(IPEndPoint endpoint)
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
            return null;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => PortProblem.InUse,
                SocketError.AddressNotAvailable => PortProblem.AddressNotHere,
                SocketError.AccessDenied => PortProblem.NotPermitted,
                _ => null,
            };
        }
    }

    private const int SolSocketLinux = 1, SoReuseAddrLinux = 2, SolSocketBsd = 0xffff, SoReuseAddrBsd = 4;
}

/// <summary>Why a port cannot be listened on.</summary>
public enum PortProblem
{
    /// <summary>Another socket listens on it.</summary>
    InUse,
    /// <summary>The address is not one of this machine's.</summary>
    AddressNotHere,
    /// <summary>This user may not listen on it (below 1024 without the privilege).</summary>
    NotPermitted,
}

/// <summary>A port the host would listen on: <see cref="Key"/> is its setting in <see cref="SiloHostOptions"/>.</summary>
public sealed record TakenPort(string Key, IPEndPoint Endpoint, PortProblem Problem = PortProblem.InUse)
{
    /// <summary>Why, after "PORT: ", with <paramref name="silo"/> for what else may hold the port.</summary>
    public string Why(string silo) => Problem switch
    {
        PortProblem.AddressNotHere => $"{Endpoint.Address} is not an address of this machine",
        PortProblem.NotPermitted => $"listening on it on {Endpoint.Address} is not permitted (a port below 1024 needs the privilege)",
        _ => $"the port is in use on {Endpoint.Address} (another {silo}?)",
    };

    /// <summary>The setting that puts it right: the address where that is what is wrong, else the port.</summary>
    public string FixKey => Problem != PortProblem.AddressNotHere ? Key
        : Key == nameof(SiloHostOptions.HttpPort) ? nameof(SiloHostOptions.HttpAddress) : nameof(SiloHostOptions.AdvertisedIp);
}

/// <summary>Ports the host would listen on cannot be listened on (taken by another process, an address not this machine's,
/// a privileged port); the message names each by its setting.</summary>
public sealed class PortInUseException(IReadOnlyList<TakenPort> taken) : Exception(string.Join("; ", taken.Select(t =>
    $"{SiloHostOptions.SectionName}:{t.Key} {t.Endpoint.Port}: {t.Why("silo")}; choose another" +
    (t.FixKey == t.Key ? "" : $" {SiloHostOptions.SectionName}:{t.FixKey}"))))
{
    public IReadOnlyList<TakenPort> Taken { get; } = taken;
}
