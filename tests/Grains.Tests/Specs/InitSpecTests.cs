using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Weights;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary><c>model.init</c>: read relative to the spec as data.dir is, written back by <c>status --spec</c>, part of the
/// canonical form (cell ids) with its digest; never beside initScale; and checked by the coordinator, which records the
/// file's digest, refuses one the file no longer has, and a file that is missing or not this model's weights.</summary>
public sealed class InitSpecTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-init-spec-").FullName;
    private static readonly SweepSpec Base = TestSpecs.Small("init", [0.1]);   // synthetic, 1 × 16

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A weights file for <paramref name="shape"/> (zeros but for one value), as <c>weights</c> writes it.</summary>
    private string WeightsFile(string name, MlpShape shape, float first = 1f)
    {
        var values = new float[shape.ParameterCount];
        values[0] = first;
        var path = Path.Combine(_dir, name);
        using var file = File.Create(path);
        SafetensorsFile.Write(file, MlpWeights.Of(shape, values), new Dictionary<string, string>());
        return path;
    }

    private static MlpShape ShapeOf(SweepSpec spec) => new(spec.Data.Features, spec.Model.Width, spec.Model.Depth, 10);

    [Fact]
    public void ARelativeInit_IsTheSpecsFoldersFile_WrittenBackAndCanonicalWithItsDigest()
    {
        File.WriteAllText(Path.Combine(_dir, "s.yaml"), """
            name: init
            data: { set: synthetic }
            model: { depth: 1, width: 16, init: start.safetensors, initDigest: 0123456789abcdef0123456789abcdef }
            methods: [backprop]
            optimizers: [sgd]
            learningRates: [0.1]
            epochs: 2
            """);
        var spec = SweepSpecParser.ParseFile(Path.Combine(_dir, "s.yaml"));
        Assert.Equal(Path.Combine(_dir, "start.safetensors"), spec.Model.Init);
        var canonical = SpecCanonical.Flatten(spec);
        Assert.Equal(Path.Combine(_dir, "start.safetensors"), canonical["model.init"]);
        Assert.Equal("0123456789abcdef0123456789abcdef", canonical["model.initDigest"]);
        Assert.DoesNotContain("model.init", SpecCanonical.Flatten(Base).Keys);   // stored sweeps without it keep their cell ids

        var again = SweepSpecParser.Parse(SweepSpecWriter.Write(spec));
        Assert.Equal(canonical, SpecCanonical.Flatten(again));
        Assert.NotEqual(SweepGrid.Expand(spec).Cells[0].CellId, SweepGrid.Expand(spec with { Model = spec.Model with { InitDigest = null } }).Cells[0].CellId);
    }

    [Fact]
    public void TheValidator_RefusesInitBesideAScale_ADigestWithoutAFile_AndAMalformedDigest()
    {
        string[] Errors(ModelSpec model) => [.. SweepSpecValidator.Validate(Base with { Model = model }).Select(e => $"{e.Path}: {e.Message}")];

        Assert.Empty(Errors(Base.Model with { Init = "/w.safetensors", InitDigest = new string('a', 32) }));
        Assert.Contains("model.init: starts every cell from a file's weights, which model.initScale would not scale: give one of them",
            Errors(Base.Model with { Init = "/w.safetensors", InitScale = 0.5 }));
        Assert.Contains("model.initDigest: is the digest of model.init's file: give model.init too", Errors(Base.Model with { InitDigest = new string('a', 32) }));
        Assert.Contains("model.initDigest: must be 32 lower-case hex digits, the start of the file's SHA-256 (got 'ABC')",
            Errors(Base.Model with { Init = "/w.safetensors", InitDigest = "ABC" }));
        Assert.Contains("model.init: must not be empty (leave it out to draw the weights)", Errors(Base.Model with { Init = " " }));
    }

    [Fact]
    public void TheCoordinatorsCheck_RecordsTheDigest_AndRefusesAChangedMissingOrMisfitFile()
    {
        var file = WeightsFile("w.safetensors", ShapeOf(Base));
        var spec = Base with { Model = Base.Model with { Init = file } };

        var completed = InitWeightsCheck.Complete(spec);
        Assert.Equal(InitialWeights.Digest(file), completed.Model.InitDigest);
        Assert.Same(Base, InitWeightsCheck.Complete(Base));
        Assert.Equal(completed, InitWeightsCheck.Complete(completed));   // a spec status --spec wrote, the file as it was

        string Refusal(SweepSpec s)
        {
            var e = Assert.Throws<SpecValidationException>(() => InitWeightsCheck.Complete(s));
            var error = Assert.Single(e.Errors);
            return $"{error.Path}: {error.Message}";
        }
        WeightsFile("w.safetensors", ShapeOf(Base), first: 2f);   // the same name, other weights
        Assert.StartsWith($"model.initDigest: {file} has digest {InitialWeights.Digest(file)}, and the spec says {completed.Model.InitDigest}: the file changed",
            Refusal(completed));
        Assert.StartsWith($"model.init: {_dir}/gone.safetensors: cannot be read", Refusal(spec with { Model = spec.Model with { Init = Path.Combine(_dir, "gone.safetensors") } }));
        Assert.Contains("'0.weight' is [16, 64], and a 1 × 32 MLP on 64 inputs and 10 classes needs [32, 64]",
            Refusal(spec with { Model = spec.Model with { Width = 32 } }));
    }
}
