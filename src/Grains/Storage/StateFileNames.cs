using System.Security.Cryptography;
using System.Text;

namespace GradGuessCluster.Grains.Storage;

/// <summary>
/// Maps grain types, keys and state names to paths that cannot leave the store's directory. A key's '/'-separated
/// segments become nested directories (<c>sweep/cell/3</c> → <c>sweep/cell/3.curve.state</c>: one directory per cell,
/// so writes for different cells do not queue on one directory's lock); within a segment every character outside
/// <c>[A-Za-z0-9_-]</c> (so also '.', '\') is written as %XX of its UTF-8 bytes; long names are cut and hashed.
/// </summary>
public static class StateFileNames
{
    private const int MaxLength = 160;

    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' or '-') builder.Append(c);
            else builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        if (builder.Length == 0) return "%";
        if (builder.Length <= MaxLength) return builder.ToString();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        return builder.ToString(0, MaxLength - 17) + "~" + hash;
    }

    /// <summary>The directory of one grain type's state files under <paramref name="root"/>.</summary>
    public static string TypeDirectory(string root, string grainType) => Path.Combine(Path.GetFullPath(root), Escape(grainType));

    /// <summary>The state file of (<paramref name="grainType"/>, <paramref name="key"/>, <paramref name="stateName"/>);
    /// throws if it would fall outside <paramref name="root"/> (it cannot, by construction; checked anyway).</summary>
    public static string PathFor(string root, string grainType, string key, string stateName)
    {
        var fullRoot = Path.GetFullPath(root);
        var segments = key.Split('/').Select(Escape).ToList();
        segments[^1] += "." + Escape(stateName) + ".state";
        var path = Path.GetFullPath(Path.Combine([TypeDirectory(fullRoot, grainType), .. segments]));
        if (!path.StartsWith(fullRoot.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new FileGrainStorageException($"state key '{key}' maps outside {fullRoot}");
        return path;
    }
}
