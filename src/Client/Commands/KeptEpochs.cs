using System.Globalization;
using GradGuessCluster.Grains.Cells;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>train --keep-epochs 0,1,5,40</c>: the epochs whose checkpoint is also kept beside <c>--checkpoint</c>'s
/// file, which each epoch replaces; a trajectory for <c>inspect</c> to read (epoch 0: the weights before training).</summary>
internal static class KeptEpochs
{
    /// <summary>The epochs of <paramref name="text"/> (comma-separated, each 0 to <paramref name="epochs"/>).</summary>
    public static IReadOnlySet<int> Parse(string text, int epochs)
    {
        var kept = new SortedSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int epoch))
                throw new UsageException($"--keep-epochs: '{part}' is not an epoch (expected whole numbers, comma-separated: 0,1,10)");
            if (epoch > epochs) throw new UsageException($"--keep-epochs: {epoch} is past --epochs {epochs}");
            kept.Add(epoch);
        }
        return kept;
    }

    /// <summary><c>DIR/STEM.epoch-N.ckpt</c> beside <c>DIR/STEM.ckpt</c> (any other extension stays in the stem).</summary>
    public static string PathFor(string checkpoint, int epoch)
    {
        var stem = checkpoint.EndsWith(CheckpointFiles.Extension, StringComparison.Ordinal) ? checkpoint[..^CheckpointFiles.Extension.Length] : checkpoint;
        return $"{stem}.epoch-{epoch.ToString(CultureInfo.InvariantCulture)}{CheckpointFiles.Extension}";
    }
}
