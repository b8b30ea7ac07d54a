using GradGuessCluster.Grains.Interfaces.Contracts;
namespace GradGuessCluster.Client.Planning;

/// <summary>What a sweep spec asks for, worked out before anything runs (<c>gradguess plan</c>); also its
/// <c>--json</c> form.</summary>
internal sealed record SweepPlan(
    string Name,
    PlanData Data,
    PlanModel Model,
    PlanGrid Grid,
    PlanGuesses? Guesses,
    PlanSchedule Schedule,
    PlanCost Cost,
    IReadOnlyList<string> Warnings);

/// <param name="Found">Whether the files were read here; when not, the sizes are the set's published ones.</param>
/// <param name="Problem">Why they could not be read here (null when found).</param>
internal sealed record PlanData(string Set, string? Directory, bool Found, string? Problem, long Train, long Test, int Features, int Classes);

/// <param name="InitScale">The initial weights' scale against PyTorch's default (<c>model.initScale</c>); null: the default.</param>
/// <param name="Init">The weights file every cell starts from (<c>model.init</c>); null: drawn weights.</param>
/// <param name="InitDigest">Its digest, where the file was read here (or the spec gave it).</param>
internal sealed record PlanModel(int Inputs, int Depth, int Width, int Classes, long ParametersPerCell, double? InitScale = null,
    string? Init = null, string? InitDigest = null);

/// <param name="Cells">The spec's cells, stored ones included when it extends a sweep.</param>
/// <param name="Packs">Its packs, stored ones included.</param>
/// <param name="PackSizes">How many of those packs hold each number of cells, fewest first: one entry when every pack
/// holds as many, more for a sweep that grew (each extension packs its added cells among themselves).</param>
/// <param name="Extends">With <c>--extend</c>: what the spec trains beside the stored sweep (the plan's totals are about that).</param>
internal sealed record PlanGrid(
    IReadOnlyList<string> Methods, IReadOnlyList<string> Optimizers, IReadOnlyList<double> LearningRates, IReadOnlyList<int> Seeds,
    long Cells, int Packs, IReadOnlyList<PlanPackSize> PackSizes, string Packing, PlanExtension? Extends = null,
    IReadOnlyList<RowLearningRates>? RowRates = null);

/// <summary>How the grid's guessing methods draw and use their guesses: the spec's <c>estimator</c> block as they read it
/// (null in the plan when no method of the grid draws a guess).</summary>
/// <param name="PerStep">K: guesses averaged per step.</param>
/// <param name="OnePass">All layers' guesses in one tangent pass, or one pass per layer; null when no method of the grid
/// guesses in activation space (the only ones that read it).</param>
/// <param name="Normalised">The grid's activation-space methods whose guesses are rescaled per example to norm √n_i.</param>
/// <param name="NotNormalised">Its activation-space methods whose guesses are not.</param>
/// <param name="NormaliseSet">Whether <c>estimator.normalise</c> decides it (false: each method's default).</param>
internal sealed record PlanGuesses(int PerStep, bool? OnePass, IReadOnlyList<string> Normalised, IReadOnlyList<string> NotNormalised, bool NormaliseSet);

/// <summary><paramref name="Packs"/> packs of <paramref name="Cells"/> cells each.</summary>
internal sealed record PlanPackSize(int Cells, int Packs);

/// <summary>The cells and packs an extension adds, beside those the stored sweep has, and the stored ones it trains on.</summary>
/// <param name="AddedPackSizes">How many of the added packs hold each number of cells, fewest first.</param>
/// <param name="EpochsBefore">The stored epochs, when the spec raises them (null when it does not).</param>
/// <param name="LengthenedCells">Stored cells that train on from their packs' last checkpoints to the raised epochs: the
/// completed ones where the stored sweep's status was read, else all of them.</param>
/// <param name="LengthenedPacks">The packs that hold them.</param>
/// <param name="CompletedKnown">Whether the stored cells' states were read (false: every stored cell is counted, also
/// those that diverged, which do not train on).</param>
internal sealed record PlanExtension(long AddedCells, int AddedPacks, long StoredCells, int StoredPacks, IReadOnlyList<PlanPackSize> AddedPackSizes,
    int? EpochsBefore = null, long LengthenedCells = 0, int LengthenedPacks = 0, bool CompletedKnown = false);

/// <summary>The spec's schedule: per cell and per pack at its full length, also in a plan of an extension.</summary>
/// <param name="CellEpochs">Of what the plan trains (an extension's: its added cells' epochs and the stored cells' extra ones).</param>
/// <param name="CheckpointsPerPack">Checkpoints written over an uninterrupted run (every checkpointEvery epochs and at the end).</param>
/// <param name="RateSchedule">How the learning rates change over the epochs ("cosine over 100 epochs, 5 warm-up"); null: constant.</param>
internal sealed record PlanSchedule(
    int Epochs, int BatchSize, int StepsPerEpoch, long StepsPerCell, long CellEpochs,
    int EvaluateEvery, int EvaluationsPerCell, int CheckpointEvery, int CheckpointsPerPack,
    int CosineEvery, long CosineSamplesPerCell, bool EffectiveRank, string Selection, string? RateSchedule = null);

/// <summary>What the plan trains costs (an extension's: its added cells and the stored cells' extra epochs).</summary>
/// <param name="Flops">Matmul FLOPs of the whole sweep: training, evaluation, cosine diagnostics.</param>
/// <param name="EvaluationFlops">The part of <paramref name="Flops"/> the evaluations take.</param>
/// <param name="FlopsPerCellEpoch">Training-pass FLOPs of one cell-epoch, per method.</param>
/// <param name="CheckpointBytesPerPack">The largest pack's checkpoint (adam-type optimizers keep two moments, SGD one).</param>
/// <param name="CheckpointBytes">Every pack's checkpoint: what the sweep leaves on disk until it is deleted (an extension's:
/// those of the packs it trains, a stored pack's replacing the one it has).</param>
/// <param name="CurveBytesPerCell">A cell's stored curve once it has trained to its last epoch (<c>CurveFootprint</c>).</param>
/// <param name="CurveBytes">Every cell's: what the sweep's curves take in the grain storage (an extension's: what they grow by).</param>
/// <param name="TrainingBytesPerPack">The least memory the largest pack holds while it trains (PackWorkload.TrainingStateBytes at the spec's checkpointEvery).</param>
/// <param name="Seconds">The sweep's wall time on <see cref="Slots"/> slots, packs admitted in grid order; null without
/// <c>--gflops</c> or <c>--measure</c>.</param>
/// <param name="Basis">Where <see cref="Seconds"/> comes from (a rate, or a measurement here).</param>
/// <param name="Measured">With <c>--measure</c>, each pack configuration's speed.</param>
internal sealed record PlanCost(
    double Flops, double EvaluationFlops, IReadOnlyDictionary<string, double> FlopsPerCellEpoch,
    long CheckpointBytesPerPack, long CheckpointBytes, long CurveBytesPerCell, long CurveBytes, long TrainingBytesPerPack, double? Seconds, int Slots, string? Basis, IReadOnlyList<MeasuredSpeed> Measured);
