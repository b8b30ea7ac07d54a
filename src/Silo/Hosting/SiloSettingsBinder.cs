using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>
/// Binds the <c>GradGuess</c> section onto <see cref="SiloHostOptions"/>, refusing what a plain <c>Bind</c> would let
/// through or stop at: a misspelt key (silently ignored: <c>CheckpointDir</c> would leave checkpoints on the local
/// disk) and a value of the wrong type (the first one thrown as an exception). Every bad key is named.
/// </summary>
internal static class SiloSettingsBinder
{
    /// <summary>Sections that other options bind.</summary>
    private static readonly string[] NestedSections = [ClusteringSetup.MembershipKey];

    private static readonly Dictionary<string, PropertyInfo> Settings = typeof(SiloHostOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Throws <see cref="SiloConfigurationException"/> naming every unknown or mistyped key.</summary>
    public static SiloHostOptions Bind(IConfiguration configuration)
    {
        var section = configuration.GetSection(SiloHostOptions.SectionName);
        var errors = new List<string>();
        foreach (var child in section.GetChildren())
        {
            var key = $"{SiloHostOptions.SectionName}:{child.Key}";
            if (NestedSections.Contains(child.Key, StringComparer.OrdinalIgnoreCase)) continue;
            if (!Settings.TryGetValue(child.Key, out var property))
            {
                errors.Add($"{key}: unknown setting (known: {string.Join(", ", Settings.Keys.Order(StringComparer.Ordinal))})");
                continue;
            }
            try
            {
                child.Get(property.PropertyType);
            }
            catch (InvalidOperationException)
            {
                errors.Add($"{key}: '{child.Value}' is not a valid {Describe(property.PropertyType)}");
            }
        }
        if (errors.Count > 0) throw new SiloConfigurationException(errors);
        var options = new SiloHostOptions();
        section.Bind(options);
        return options;
    }

    private static string Describe(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(bool) ? "true/false value" : t == typeof(int) ? "whole number" : t == typeof(double) ? "number" : t.Name;
    }
}
