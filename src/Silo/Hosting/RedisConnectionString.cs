using System.Globalization;
using StackExchange.Redis;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>Checks a StackExchange.Redis connection string (<c>host[:port][,host[:port]...][,option=value...]</c>) before
/// anything dials it: the library takes "foo bar" or "h:notaport" for a host and keeps retrying it. Shared by the silo's
/// <c>GradGuess:Redis</c> and the client's <c>--redis</c>.</summary>
public static class RedisConnectionString
{
    /// <summary>The parsed options and the endpoints as written (for messages: never the whole string, which may hold a
    /// password), or the problem.</summary>
    public static (ConfigurationOptions? Options, string EndPoints, string? Problem) Check(string text)
    {
        var endpoints = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Contains('=')) continue;   // an option: ConfigurationOptions.Parse judges it below
            if (!IsEndPoint(part)) return (null, "", $"expected host:port, got '{part}'");
            endpoints.Add(part);
        }
        if (endpoints.Count == 0) return (null, "", "no host:port in it");
        try
        {
            return (ConfigurationOptions.Parse(text), string.Join(", ", endpoints), null);
        }
        catch (ArgumentException e)   // an unknown option or a bad option value: its message names it
        {
            return (null, "", e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal));
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
