using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Weights;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// A spec's <c>model.init</c> as the coordinator takes it, on a silo that reads the file as its packs will: the file must
/// be there and hold this model's weights (<see cref="InitialWeights"/>), and its digest is recorded in the spec. A spec
/// that gives the digest already (one <c>status --spec</c> wrote) must match the file: a file changed since is another
/// sweep's start. The digest is then part of the cells' ids, and every pack checks the file against it before training.
/// </summary>
public static class InitWeightsCheck
{
    public static SweepSpec Complete(SweepSpec spec)
    {
        // An unusable path is the validator's to name.
        if (spec.Model.Init is not { } file || SweepSpecValidator.DataDirectoryProblem(file) is not null) return spec;
        byte[] bytes;   // read once: the digest recorded is of the bytes whose weights are checked
        try { bytes = WeightsFileReader.ReadBytes(file); }
        catch (DataFormatException e) { throw Refused("model.init", e.Message); }
        var digest = InitialWeights.Digest(bytes);
        if (spec.Model.InitDigest is { } given && given != digest)
            throw Refused("model.initDigest", $"{file} has digest {digest}, and the spec says {given}: the file changed since the spec was " +
                                              "written (leave model.initDigest out to start from the file as it is now: another sweep)");
        var inputs = SweepSpecValidator.Features(spec.Data);
        if (inputs is > 0 && spec.Model is { Depth: >= 1, Width: >= 1 })
        {
            var shape = new MlpShape(inputs.Value, spec.Model.Width, spec.Model.Depth, DatasetLoader.Classes);
            try { InitialWeights.Flat(file, WeightsFileReader.Parse(file, bytes).Arrays, shape); }
            catch (DataFormatException e) { throw Refused("model.init", e.Message); }
        }
        return spec with { Model = spec.Model with { InitDigest = digest } };
    }

    private static SpecValidationException Refused(string field, string message) => new([new SpecError(field, message)]);
}
