using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>Checks that a spec's data set is present and readable where training will run ("missing data").</summary>
public interface IDataSetCheck
{
    /// <summary>Null when the set is usable; else one line naming the directory or file and the problem.</summary>
    string? Problem(DataSpec data);
}
