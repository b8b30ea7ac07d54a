namespace GradGuessCluster.Training.Data.Download;

/// <summary>One file of a published data set.</summary>
/// <param name="Name">File name, relative to each mirror's base URL and to the target directory.</param>
/// <param name="Md5">MD5 of the file as served (hex, lower case).</param>
/// <param name="ContentMd5">For gzipped files: MD5 of the decompressed content. It identifies the same data in a
/// re-compressed copy (Debian's Fashion-MNIST files differ from upstream only in their gzip headers).</param>
/// <param name="Extract">A .tar.gz archive to unpack into the target directory once verified.</param>
public sealed record RemoteFile(string Name, string Md5, string? ContentMd5 = null, bool Extract = false);
