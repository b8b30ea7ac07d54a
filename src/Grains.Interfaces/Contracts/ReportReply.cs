namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The coordinator's answer to an epoch report: the records are durably stored; <paramref name="Stop"/> asks the
/// pack to stop at this epoch boundary (its sweep was cancelled or suspended).</summary>
[GenerateSerializer, Immutable, Alias("gg.ReportReply")]
public sealed record ReportReply([property: Id(0)] bool Stop);
