using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>The bad-spec corpus (tests/TestData/bad-specs): each file's first line says which field must be blamed
/// (<c># expect: PATH MESSAGE-PART</c>, or <c># expect-all: PATH, PATH, ...</c>).</summary>
public sealed class BadSpecTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepoPaths.TestData("bad-specs"), "*.yaml").Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void Corpus_HasAtLeastTwentySpecs() => Assert.True(Files().Count >= 20);

    [Theory]
    [MemberData(nameof(Files))]
    public void Parse_BadSpec_ThrowsOneLineErrorNamingTheField(string file)
    {
        var path = RepoPaths.TestData("bad-specs", file);
        var header = File.ReadLines(path).FirstOrDefault() ?? "";

        var e = Assert.Throws<SpecValidationException>(() => SweepSpecParser.ParseFile(path, new DataSetCheck()));

        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
        Assert.Contains(file, e.Message);
        if (header.StartsWith("# expect-all: ", StringComparison.Ordinal))
        {
            var paths = header["# expect-all: ".Length..].Split(", ");
            Assert.Equal(paths.Order(), e.Errors.Select(x => x.Path).Order());
            return;
        }
        // The corpus files for an empty spec have no header line of their own beyond the comment.
        var expect = header.StartsWith("# expect: ", StringComparison.Ordinal) ? header["# expect: ".Length..] : throw new InvalidOperationException($"{file}: no '# expect:' line");
        var space = expect.IndexOf(' ');
        var field = expect[..space] == "(root)" ? "" : expect[..space];
        var part = expect[(space + 1)..];
        Assert.True(e.Errors.Any(x => x.Path == field && x.Message.Contains(part, StringComparison.Ordinal)),
            $"expected an error at '{field}' containing '{part}'; got: {e.Message}");
    }
}
