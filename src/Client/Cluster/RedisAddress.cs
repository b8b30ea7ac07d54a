using System.Globalization;
using StackExchange.Redis;

namespace GradGuessCluster.Client.Cluster;

/// <summary>A checked <c>--redis</c> value: StackExchange.Redis' <c>host[:port][,host[:port]...][,option=value...]</c>,
/// and its endpoints as the user wrote them, for messages (never the whole string: it may hold a password).</summary>
internal sealed record RedisAddress(ConfigurationOptions Options, string EndPoints)
{
    /// <summary>Refuses, with <see cref="UsageException"/> naming <paramref name="source"/>, what StackExchange.Redis
    /// would otherwise take for a host to keep dialling ("foo bar", "h:notaport") or reject only when connecting.</summary>
    public static RedisAddress Parse(string text, string source)
    {
        var endpoints = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Contains('=')) continue;   // an option: ConfigurationOptions.Parse judges it below
            if (!IsEndPoint(part)) throw new UsageException($"{source}: expected host:port, got '{part}'");
            endpoints.Add(part);
        }
        if (endpoints.Count == 0) throw new UsageException($"{source}: no host:port in it");
        try
        {
            return new RedisAddress(ConfigurationOptions.Parse(text), string.Join(", ", endpoints));
        }
        catch (ArgumentException e)   // an unknown option or a bad option value: its message names it
        {
            throw new UsageException($"{source}: {e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)}");
        }
    }

    /// <summary>host, host:port or [v6]:port; the port is optional as in StackExchange.Redis (6379 by default).</summary>
    private static bool IsEndPoint(string part)
    {
        string host = part, port = "";
        if (part.StartsWith('['))
        {
            int close = part.IndexOf(']');
            if (close < 0) return false;
            host = part[1..close];
            var rest = part[(close + 1)..];
            if (rest.Length > 0 && !rest.StartsWith(':')) return false;
            port = rest.TrimStart(':');
            if (rest.Length > 0 && port.Length == 0) return false;
        }
        else if (part.IndexOf(':') is var colon and >= 0)
        {
            if (part.IndexOf(':', colon + 1) >= 0) return Uri.CheckHostName(part) == UriHostNameType.IPv6;   // bare v6, no port
            host = part[..colon];
            port = part[(colon + 1)..];
            if (port.Length == 0) return false;
        }
        var portOk = port.Length == 0 || (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is >= 1 and <= 65535);
        return portOk && Uri.CheckHostName(host) != UriHostNameType.Unknown;
    }
}
