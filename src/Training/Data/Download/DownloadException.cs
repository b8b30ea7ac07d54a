namespace GradGuessCluster.Training.Data.Download;

/// <summary>A data set could not be downloaded: every mirror failed (unreachable, HTTP error, checksum mismatch).
/// The message names each URL and what went wrong there.</summary>
public sealed class DownloadException(string message, Exception? inner = null) : Exception(message, inner);
