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

    /// <summary>The input features of <paramref name="source"/> known without reading its files: the synthetic set's own,
    /// a real set's published size; null for an unknown set.</summary>
    public static int? FeaturesOf(DataSource source) =>
        source.Set == SyntheticDataset.Name ? source.SyntheticFeatures : Published(source.Set)?.Features;
}
