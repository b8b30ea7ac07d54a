using GradGuessCluster.Client.Commands;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Refinement;

/// <summary>A spec a verb writes for the user to run next (<c>refine</c>, <c>confirm</c>), as YAML read back by the spec
/// parser: what is written is a spec <c>local</c> and <c>submit</c> accept (maxCells, float32 bounds, an output-layer
/// scale that overflows an added rate, ...), or nothing is written and a usage error says why.</summary>
internal static class WrittenSpec
{
    /// <param name="what">The spec as the error names it: "the refined spec".</param>
    public static string Yaml(SweepSpec spec, string what)
    {
        var yaml = SweepSpecWriter.Write(spec);
        try
        {
            SweepSpecParser.Parse(yaml, source: what);
        }
        catch (SpecValidationException e)
        {
            throw new UsageException($"{what} would not be valid: {e.Message}");
        }
        return yaml;
    }
}
