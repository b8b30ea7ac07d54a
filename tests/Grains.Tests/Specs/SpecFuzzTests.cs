using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>
/// Seeded random damage to the shipped example specs: a damaged spec either parses into one the coordinator can expand
/// and fingerprint, or is refused with a <see cref="SpecValidationException"/> whose one-line message names a field.
/// Any other exception (a parser or validator path that nobody wrote a message for) fails with the text that caused it.
/// </summary>
public sealed class SpecFuzzTests
{
    // 1,000 of each: about 13 s of CPU in all, where 4,000 took 93 (2026-12-08), more than half of this project's tests'.
    // Both clean-clone runs with 1,000 of 2026-12-08 morning failed RevivedSweepTests (something stopped its held pack);
    // since, it passed 3 runs of this project beside busy loops and two clean-clone runs, and says what its silo logged
    // if it fails again.
    private const int MutantsPerExample = 1000;

    // YAML's structural characters, and values that stress number parsing and the validator's arithmetic.
    private static readonly string[] Fragments =
    [
        ":", "-", "[", "]", "{", "}", ",", "'", "\"", "#", "&a", "*a", "!!str", "|", ">", "%", "@", "`", "\t", "\n", " ",
        "~", "null", "[]", "{}", "1e400", "-1e400", "1e-400", "NaN", ".nan", ".inf", "-.inf", "-0", "0x1F", "2147483648",
        "-2147483649", "99999999999999999999", "1_000", "yes", "true", "../..", "/etc", "é", "\u0000", "<<: *a",
    ];

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "examples"), "*.yaml").Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void DamagedSpec_ParsesCleanly_OrIsRefusedWithAFieldNamed(string example)
    {
        var original = File.ReadAllText(Path.Combine(RepoPaths.Root, "examples", example));
        var random = new Random(example.Aggregate(0x5EED, (h, c) => h * 31 + c));        // string.GetHashCode is per process
        int accepted = 0, refused = 0;
        for (int i = 0; i < MutantsPerExample; i++)
        {
            var text = original;
            for (int m = random.Next(1, 4); m > 0; m--) text = Mutate(text, random);
            try
            {
                var spec = SweepSpecParser.Parse(text, example);
                Assert.NotEmpty(SweepGrid.Expand(spec).Cells);
                Assert.NotEmpty(SpecCanonical.Flatten(spec));
                accepted++;
            }
            catch (SpecValidationException e)
            {
                Assert.NotEmpty(e.Errors);
                Assert.DoesNotContain('\n', e.Message);
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"mutant {i} of {example} threw {e.GetType().Name}: {e.Message}\n--- spec ---\n{text}");
            }
        }
        // The damage must reach both outcomes, or the test exercises only one of them.
        Assert.True(accepted > 0 && refused > 0, $"{example}: {accepted} accepted, {refused} refused");
    }

    private static string Mutate(string text, Random random)
    {
        if (text.Length == 0) return Fragments[random.Next(Fragments.Length)];
        int at = random.Next(text.Length);
        var lines = text.Split('\n');
        switch (random.Next(7))
        {
            case 0: return text.Remove(at, Math.Min(random.Next(1, 6), text.Length - at));        // delete a few characters
            case 1: return text.Insert(at, Fragments[random.Next(Fragments.Length)]);             // insert a fragment
            case 2: return text[..at];                                                             // truncate
            case 3:                                                                                // duplicate a line
            {
                int line = random.Next(lines.Length);
                return string.Join('\n', lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1)));
            }
            case 4:                                                                                // swap two lines
            {
                int a = random.Next(lines.Length), b = random.Next(lines.Length);
                (lines[a], lines[b]) = (lines[b], lines[a]);
                return string.Join('\n', lines);
            }
            case 5:                                                                                // replace a value
            {
                int line = random.Next(lines.Length), colon = lines[line].IndexOf(':', StringComparison.Ordinal);
                if (colon < 0) return text;
                lines[line] = lines[line][..(colon + 1)] + " " + Fragments[random.Next(Fragments.Length)];
                return string.Join('\n', lines);
            }
            default:                                                                               // replace a list item
            {
                int line = random.Next(lines.Length), open = lines[line].IndexOf('[', StringComparison.Ordinal);
                if (open < 0) return text;
                return string.Join('\n', lines.Take(line)) + (line > 0 ? "\n" : "") +
                    lines[line][..(open + 1)] + Fragments[random.Next(Fragments.Length)] + ", " + lines[line][(open + 1)..] +
                    (line + 1 < lines.Length ? "\n" + string.Join('\n', lines.Skip(line + 1)) : "");
            }
        }
    }
}
