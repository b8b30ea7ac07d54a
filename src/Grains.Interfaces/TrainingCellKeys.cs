using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Grains.Interfaces;

/// <summary>Grain keys of training grains: <c>{sweep}/{packId}</c>, both parts checked so a key never becomes a bad path.</summary>
public static class TrainingCellKeys
{
    public static string For(string sweep, string packId)
    {
        SweepNames.EnsureValid(sweep);
        if (!SweepNames.IsValidId(packId)) throw new ArgumentException($"invalid pack id '{packId}'", nameof(packId));
        return sweep + "/" + packId;
    }

    public static (string Sweep, string PackId) Parse(string key)
    {
        var slash = key.IndexOf('/');
        if (slash <= 0 || !SweepNames.IsValid(key[..slash]) || !SweepNames.IsValidId(key[(slash + 1)..]))
            throw new ArgumentException($"invalid training grain key '{key}'", nameof(key));
        return (key[..slash], key[(slash + 1)..]);
    }
}
