using GradGuessCluster.Client.Doctor;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Rendering;

/// <summary><c>gradguess doctor</c>'s report: one line per check, status first so a failure stands out in a column, the
/// fix indented under it; then a verdict.</summary>
internal static class DoctorView
{
    public static void Line(DoctorFinding f)
    {
        Output.Line($"{Label(f.Status),-5} {f.Area,-9} {(f.Subject.Length > 0 ? f.Subject + ": " : "")}{f.Detail}");
        if (f.Fix is not null && f.Status != DoctorStatus.Ok) Output.Line($"{"",16}→ {f.Fix}");
    }

    public static string Verdict(IReadOnlyList<DoctorFinding> findings)
    {
        int fails = findings.Count(f => f.Status == DoctorStatus.Fail), warns = findings.Count(f => f.Status == DoctorStatus.Warn);
        var counts = $"{Units.Count(fails, "problem")}, {Units.Count(warns, "warning")}";
        return fails > 0 ? $"{counts}: fix the problems above before training here" : $"{counts}: ready to train";
    }

    private static string Label(DoctorStatus status) => status switch
    {
        DoctorStatus.Ok => "ok",
        DoctorStatus.Info => "info",
        DoctorStatus.Warn => "warn",
        _ => "FAIL",
    };
}
