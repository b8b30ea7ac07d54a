using GradGuessCluster.Grains.Interfaces.Validation;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>
/// Binds the <c>GradGuess</c> section onto <see cref="SiloHostOptions"/>, refusing what a plain <c>Bind</c> would let
/// through or stop at: a misspelt key (silently ignored: <c>CheckpointDir</c> would leave checkpoints on the local
/// disk) and a value of the wrong type (the first one thrown as an exception). Every bad key is named.
/// </summary>
internal static class SiloSettingsBinder
{
    /// <summary>Sections that other options bind, by their options type: checked the same way.</summary>
    private static readonly Dictionary<string, Type> NestedSections = new(StringComparer.OrdinalIgnoreCase)
    {
        [ClusteringSetup.MembershipKey] = typeof(ClusterMembershipOptions),
    };

    /// <summary>Throws <see cref="SiloConfigurationException"/> naming every unknown or mistyped key.</summary>
    public static SiloHostOptions Bind(IConfiguration configuration)
    {
        var section = configuration.GetSection(SiloHostOptions.SectionName);
        var errors = new List<string>();
        Check(section, SiloHostOptions.SectionName, typeof(SiloHostOptions), errors);
        if (errors.Count > 0) throw new SiloConfigurationException(errors);
        var options = new SiloHostOptions();
        section.Bind(options);
        return options;
    }

    private static void Check(IConfigurationSection section, string path, Type options, List<string> errors)
    {
        var settings = Settings(options);
        foreach (var child in section.GetChildren())
        {
            var key = $"{path}:{child.Key}";
            if (options == typeof(SiloHostOptions) && NestedSections.TryGetValue(child.Key, out var nested))
            {
                Check(child, key, nested, errors);
                continue;
            }
            if (!settings.TryGetValue(child.Key, out var property))
            {
                errors.Add($"{key}: unknown setting {NearestName.KnownList(child.Key, settings.Keys.Order(StringComparer.Ordinal).ToArray())}");
                continue;
            }
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            try
            {
                child.Get(property.PropertyType);
            }
            catch (InvalidOperationException)
            {
                errors.Add($"{key}: '{child.Value}' is not a valid {Describe(type)}");
                continue;
            }
            // A bare number parses as days: ProbeTimeout=5 would wait five days.
            if (type == typeof(TimeSpan) && child.Value is { } text && !text.Contains(':', StringComparison.Ordinal))
                errors.Add($"{key}: '{text}' would mean {text} days; write a {Describe(typeof(TimeSpan))}");
        }
    }

    private static Dictionary<string, PropertyInfo> Settings(Type options) => options
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>A setting's value type (not nullable) in words.</summary>
    private static string Describe(Type t) =>
        t == typeof(bool) ? "true/false value"
        : t == typeof(int) ? "whole number"
        : t == typeof(double) ? "number"
        : t == typeof(TimeSpan) ? "time span ([d.]hh:mm:ss, e.g. 00:00:05 for five seconds)"
        : t.Name;
}
