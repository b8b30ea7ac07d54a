using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary>Compiles LaTeX tables in a document that loads booktabs and <c>packages</c> (pdflatex, as .ci/run installs
/// it): what the <c>--latex</c> tables write must go into a paper as it is.</summary>
internal static class LatexDocument
{
    public static async Task AssertCompilesAsync(IEnumerable<string> body, params string[] packages)
    {
        var dir = Directory.CreateTempSubdirectory("gg-latex-").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(dir, "t.tex"),
                ["\\documentclass{article}", .. packages.Prepend("booktabs").Select(p => $"\\usepackage{{{p}}}"), "\\begin{document}", .. body, "\\end{document}"]);
            var pdflatex = await ExternalTool.RunAsync("pdflatex", "texlive-latex-base texlive-latex-recommended", dir,
                "-interaction=nonstopmode", "-halt-on-error", "t.tex");
            Assert.True(pdflatex.ExitCode == 0, pdflatex.Stdout);
            Assert.True(new FileInfo(Path.Combine(dir, "t.pdf")).Length > 1000);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
