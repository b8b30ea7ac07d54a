namespace GradGuessCluster.Client.Doctor;

/// <summary>How a check came out. Only <see cref="Fail"/> makes <c>doctor</c> exit 1: a <see cref="Warn"/> is a problem
/// for some uses only (a data set not downloaded stops no one who trains on another).</summary>
internal enum DoctorStatus { Ok, Info, Warn, Fail }

/// <summary>One line of <c>gradguess doctor</c>'s report.</summary>
/// <param name="Area">The part of the setup: system, libtorch, data, state, cluster.</param>
/// <param name="Subject">What was checked within it (a device, a data set, a directory).</param>
/// <param name="Fix">What to do about a warning or a failure, when there is something to do.</param>
internal sealed record DoctorFinding(string Area, string Subject, DoctorStatus Status, string Detail, string? Fix = null);
