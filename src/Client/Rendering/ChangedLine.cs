using System.Text.RegularExpressions;

namespace GradGuessCluster.Client.Rendering;

/// <summary>When plain progress (a log, a pipe) prints a status line again: when its words change, or only its figures
/// (amounts with a unit, and decimals) once a minute. A pack waiting for memory is re-said every two seconds with the
/// memory free at that moment, and each of those printed a line: some 1,800 an hour into a log. Names with digits (a
/// pack, a silo) and counts are words: a wait that moves to another pack is said at once.</summary>
internal sealed partial class ChangedLine
{
    private static readonly TimeSpan FiguresEvery = TimeSpan.FromMinutes(1);
    private string? _printed, _shape;
    private DateTime _at;

    /// <summary>Whether to print <paramref name="text"/> now (null: nothing to say, and the next text is new).</summary>
    public bool Due(string? text, DateTime now)
    {
        if (text is null)
        {
            (_printed, _shape) = (null, null);
            return false;
        }
        var shape = Figures().Replace(text, "#");
        if (text == _printed || (shape == _shape && now - _at < FiguresEvery)) return false;
        (_printed, _shape, _at) = (text, shape, now);
        return true;
    }

    [GeneratedRegex(@"\b\d+(?:[.,]\d+)+|\b\d+(?=\s?(?:[KMGT]i?B|B|ms|s|min|%)(?![A-Za-z]))")]
    private static partial Regex Figures();
}
