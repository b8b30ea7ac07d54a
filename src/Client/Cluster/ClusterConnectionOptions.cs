using System.CommandLine;
using System.Net;
using System.Net.Sockets;

namespace GradGuessCluster.Client.Cluster;

/// <summary>
/// The options every cluster verb shares: <c>--gateway host:port</c> (repeatable; else <c>GRADGUESS_GATEWAY</c>,
/// comma-separated), <c>--redis</c> (else <c>GRADGUESS_REDIS</c>) to discover gateways from Redis membership,
/// <c>--cluster-id</c>/<c>--service-id</c>, and the connection time limit. Default: the local silo's gateway 127.0.0.1:30000.
/// An option overrides the other way's variable (<c>--gateway</c> with <c>GRADGUESS_REDIS</c> set uses the gateway).
/// </summary>
internal sealed class ClusterConnectionOptions
{
    public const string GatewayVariable = "GRADGUESS_GATEWAY";
    public const string RedisVariable = "GRADGUESS_REDIS";
    public const string ClusterIdVariable = "GRADGUESS_CLUSTER_ID";
    public const int DefaultGatewayPort = 30000;

    private readonly Option<string[]> _gateway = new("--gateway")
    {
        Description = $"Gateway host:port of a silo (repeatable; default ${GatewayVariable} or 127.0.0.1:{DefaultGatewayPort})",
        AllowMultipleArgumentsPerToken = false,
    };
    private readonly Option<string?> _redis = new("--redis") { Description = $"Redis of a Redis-clustered deployment: discover its gateways (default ${RedisVariable})" };
    private readonly Option<string?> _clusterId = new Option<string?>("--cluster-id") { Description = $"Cluster id, as the silos' (default ${ClusterIdVariable} or gradguess)" }.NotBlank();
    private readonly Option<string?> _serviceId = new Option<string?>("--service-id") { Description = "Service id (default: the cluster id's default, gradguess)" }.NotBlank();
    private readonly Option<double> _connectTimeout = new Option<double>("--connect-timeout")
    {
        Description = "Seconds to keep trying to reach the cluster (0.05 s to 1 day)", DefaultValueFactory = _ => 20,
    }.Seconds();

    public void AddTo(Command command)
    {
        foreach (var o in All) command.Options.Add(o);
    }

    /// <summary>The first of these options given on the command line, or null (for verbs that can go offline instead).</summary>
    public string? FirstGiven(ParseResult parse) => All.FirstOrDefault(parse.Gave)?.Name;

    private Option[] All => [_gateway, _redis, _clusterId, _serviceId, _connectTimeout];

    /// <summary>Whether the cluster is the default one: no gateway, Redis or cluster identity given, as option or variable
    /// (the connection time limit aside).</summary>
    public bool IsDefault(ParseResult parse) =>
        !new Option[] { _gateway, _redis, _clusterId, _serviceId }.Any(parse.Gave)
        && new[] { GatewayVariable, RedisVariable, ClusterIdVariable }.All(v => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v)));

    public TimeSpan ConnectTimeout(ParseResult parse) => TimeSpan.FromSeconds(parse.GetValue(_connectTimeout));

    /// <summary>Reads the options (then the environment); bad addresses → <see cref="UsageException"/>.</summary>
    public ClusterAddress Read(ParseResult parse)
    {
        // Messages name where a value came from: a user who never passed --gateway looks for it in vain.
        var given = parse.GetValue(_gateway) is { Length: > 0 };
        var gatewaySource = given ? "--gateway" : GatewayVariable;
        var variable = Environment.GetEnvironmentVariable(GatewayVariable);
        var gateways = given ? parse.GetValue(_gateway)!
            : variable?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var redisGiven = parse.GetValue(_redis) is not null;
        // Set but naming no gateway (",,,"), the variable was taken as unset, and the default gateway tried: a mistake to
        // say, unless an option overrides it. Empty, it is unset, as the other variables.
        if (!given && !redisGiven && gateways.Length == 0 && !string.IsNullOrWhiteSpace(variable))
            throw new UsageException($"{GatewayVariable}: names no host:port, got '{variable}' (unset it for the default 127.0.0.1:{DefaultGatewayPort})");
        var redisSource = redisGiven ? "--redis" : RedisVariable;
        // An option overrides the other way's environment variable; two options, or two variables, are ambiguous.
        var redis = redisGiven ? parse.GetValue(_redis) : given ? null : NullIfEmpty(Environment.GetEnvironmentVariable(RedisVariable));
        if (redis is not null && gateways.Length > 0 && (given || !redisGiven))
            throw new UsageException($"{gatewaySource} and {redisSource}: give one way to find the cluster, not both");
        var clusterId = parse.GetValue(_clusterId) ?? NullIfEmpty(Environment.GetEnvironmentVariable(ClusterIdVariable)) ?? "gradguess";
        var serviceId = parse.GetValue(_serviceId) ?? "gradguess";
        var endpoints = redis is not null ? [] :
            gateways.Length == 0 ? [new GatewayAddress(IPAddress.Loopback.ToString(), DefaultGatewayPort)] : gateways.Select(g => Parse(g, gatewaySource)).ToList();
        return new ClusterAddress(endpoints, redis is null ? null : RedisAddress.Parse(redis, redisSource), clusterId, serviceId);
    }

    /// <summary>host:port, IPv6 in brackets; a host name is resolved when connecting (<see cref="GatewayAddress"/>).</summary>
    private static GatewayAddress Parse(string text, string source)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out int port) || port is < 1 or > 65535)
            throw new UsageException($"{source}: expected host:port, got '{text}'");
        var host = text[..colon];
        // An IPv6 address in brackets; without them (2001:db8::5) the last group was read as the port and the rest
        // looked up as a host name until --connect-timeout.
        bool bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (bracketed) host = host[1..^1];
        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || c is '/' or '\\' or '@' or '?' or '#'))
            throw new UsageException($"{source}: expected host:port, got '{text}'");
        if (bracketed ? !IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6 : host.IndexOfAny(['[', ']', ':']) >= 0)
            throw new UsageException($"{source}: expected host:port (an IPv6 address as [address]:port), got '{text}'");
        return new GatewayAddress(host, port);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
