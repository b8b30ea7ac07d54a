namespace GradGuessCluster.Training.Data;

/// <summary>The sizes of a data set, read from its file headers (or its parameters, for the synthetic set) without
/// loading it: what planning a sweep needs.</summary>
public sealed record DataShape(long TrainCount, long TestCount, int Features, int Classes)
{
    /// <summary>The published sizes of the real sets, for planning on a machine that does not hold their files;
    /// null for the synthetic set (its sizes come from its parameters).</summary>
    public static DataShape? Published(string set) => set switch
    {
        "fashion-mnist" or "mnist" => new(60_000, 10_000, 28 * 28, DatasetLoader.Classes),
        "cifar10" => new(5 * Cifar10Reader.OfficialRecordsPerFile, Cifar10Reader.OfficialRecordsPerFile, Cifar10Reader.ImageBytes,
            Cifar10Reader.Classes),
        _ => null,
    };
}
