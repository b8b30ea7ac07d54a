using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Training.Loop;

/// <summary>
/// What training a pack to its last epoch costs, from its spec and its data's sizes alone (nothing is loaded or
/// allocated): steps, evaluations, cosine samples, matmul FLOPs and the size of its checkpoint. The trainer's own
/// FLOP count (<see cref="PackTrainer.FlopsPerEpoch"/>) comes from here, so a plan and a bench count alike.
/// </summary>
public sealed class PackWorkload
{
    /// <summary>Magic, version, lengths, SHA-256 trailer and the JSON header (counters, tensor table, the pack's
    /// configuration: measured at about 750 bytes plus 320 a cell).</summary>
    private const long CheckpointHeaderBytes = 1024, CheckpointHeaderBytesPerCell = 320;
    private const long GuessStateBytes = 16;   // a CPU guess stream's (key, counter); a CUDA generator's is as small

    private readonly IGradientEstimator _estimator;

    public PackWorkload(PackSpec spec, DataShape data)
    {
        Spec = spec;
        Data = data;
        Shape = new MlpShape(data.Features, spec.Width, spec.Depth, data.Classes);
        _estimator = EstimatorFactory.Create(spec.Estimator);
    }

    public PackSpec Spec { get; }
    public DataShape Data { get; }
    public MlpShape Shape { get; }

    public int StepsPerEpoch => SeededBatchOrder.BatchCount(Data.TrainCount, Spec.BatchSize);

    /// <summary>Steps of each cell over all its epochs.</summary>
    public long Steps => (long)StepsPerEpoch * Spec.Epochs;

    /// <summary>Evaluations of each cell: every <see cref="PackSpec.EvaluateEvery"/> epochs, and always the last.</summary>
    public int Evaluations => EveryAndLast(Spec.Epochs, Spec.EvaluateEvery);

    /// <summary>How often something done every <paramref name="every"/> epochs and after the last one (evaluations,
    /// checkpoints) happens in <paramref name="epochs"/>.</summary>
    public static int EveryAndLast(int epochs, int every) => epochs / every + (epochs % every == 0 ? 0 : 1);

    /// <summary>Cosine-similarity samples of each cell (<see cref="PackSpec.SamplesCosineAt"/>'s steps of its run).</summary>
    public long CosineSamples => Spec.CosineEvery == 0 ? 0 : (Steps + Spec.CosineEvery - 1) / Spec.CosineEvery;

    /// <summary>Whether one of <paramref name="epoch"/>'s steps is a cosine sample (<see cref="PackSpec.SamplesCosineAt"/>):
    /// the first multiple of C at or after the epoch's first step lies within it.</summary>
    public bool SamplesCosineIn(int epoch)
    {
        long every = Spec.CosineEvery, start = (long)(epoch - 1) * StepsPerEpoch;
        return every > 0 && (start + every - 1) / every * every < start + StepsPerEpoch;
    }

    /// <summary>Matmul FLOPs of one epoch's training pass of the whole pack: every cell's, less the work that cells
    /// sharing a seed (hence their guesses) do once between them.</summary>
    public double TrainFlopsPerEpoch
    {
        get
        {
            int cells = Spec.PackSize, streams = Spec.Cells.Select(c => c.Seed).Distinct().Count();
            // A batch larger than the training set is the whole set (activation-mixing's guess work grows with it).
            double perExample = _estimator.FlopsPerExample(Shape, Math.Min(Spec.BatchSize, Data.TrainCount)) * cells
                - _estimator.SharedFlopsPerExample(Shape) * (cells - streams);
            return perExample * Data.TrainCount;
        }
    }

    /// <summary>Matmul FLOPs of the whole run of the pack: training passes, evaluations (a forward pass over the
    /// training and the test set) and the cosine diagnostic's backward passes.</summary>
    public double TotalFlops => TrainFlopsPerEpoch * Spec.Epochs + EvaluationTotalFlops + CosineFlops * CosineSamples;

    /// <summary>The part of <see cref="TotalFlops"/> the evaluations take: with the default of one every epoch, a forward
    /// pass over more examples than an epoch trains on, about a third of a sweep's time on a CPU.</summary>
    public double EvaluationTotalFlops => EvaluationFlops * Evaluations;

    /// <summary>The whole run's wall time at a measured <paramref name="speed"/> (<see cref="PackSpeedProbe"/>, which times
    /// full batches): its steps, a short last batch counted as the part of a full one it is (priced as a full one, a
    /// batch of 40,000 of 60,000 examples made the epoch a third too long), its evaluations, and its cosine samples, each
    /// costing a step in proportion to its FLOPs.</summary>
    public double Seconds(PackSpeed speed)
    {
        double fullStepsPerEpoch = (double)Data.TrainCount / Math.Min(Spec.BatchSize, Data.TrainCount);
        double stepFlops = TrainFlopsPerEpoch / fullStepsPerEpoch;
        return speed.SecondsPerStep * (fullStepsPerEpoch * Spec.Epochs + CosineSamples * CosineFlops / stepFlops)
            + speed.EvalSecondsPerExample * (Data.TrainCount + Data.TestCount) * Evaluations;
    }

    private double EvaluationFlops => FlopCount.Forward(Shape) * (Data.TrainCount + Data.TestCount) * Spec.PackSize;

    /// <summary>A cosine sample's true gradient: a backward pass on the step's own forward (weight gradients and the
    /// propagation), not a whole backprop step.</summary>
    private double CosineFlops => (FlopCount.Outer(Shape) + FlopCount.Propagate(Shape)) * Math.Min(Spec.BatchSize, Data.TrainCount) * Spec.PackSize;

    /// <summary>
    /// The least memory a training pack holds, in float32 [cells, parameters] tensors: the weights, a gradient, the
    /// optimizer's state, the true gradient the cosine diagnostic keeps where it samples, and, in an epoch that does not
    /// start at a checkpoint, a copy of weights and optimizer state for a stop mid-epoch to roll back to (with
    /// checkpoints every epoch, or a single epoch, none). Activations, guesses and the data set come on top. On a GPU the
    /// copy is in host memory.
    /// </summary>
    public long TrainingStateBytes(int checkpointEvery)
    {
        int state = OptimizerFactory.StateTensors(Spec.Cells[0].Optimizer.Kind);
        int copy = HoldsRollbackCopy(checkpointEvery, Spec.Epochs) ? 1 + state : 0;
        int cosine = Spec.CosineEvery > 0 ? 1 : 0;
        // A scheduled optimizer holds its state twice for a moment at each change of rate (ScheduledOptimizer).
        int rescale = Spec.Cells[0].Optimizer.Schedule is not null ? state : 0;
        return Shape.ParameterCount * Spec.PackSize * (2 + state + cosine + copy + rescale) * sizeof(float);
    }

    /// <summary>Whether some epochs keep a copy of weights and optimizer state to roll back to: those that do not start at
    /// a checkpoint or at the run's start, which with checkpoints every epoch, or one epoch in all, none are.</summary>
    public static bool HoldsRollbackCopy(int checkpointEvery, int epochs) => checkpointEvery > 1 && epochs > 1;

    /// <summary>About the bytes of the pack's checkpoint file: float32 weights and optimizer state of every cell, the
    /// guess streams' states and the header.</summary>
    public long CheckpointBytes
    {
        get
        {
            var kind = Spec.Cells[0].Optimizer.Kind;
            long floats = Shape.ParameterCount * Spec.PackSize * (1 + OptimizerFactory.StateTensors(kind));
            return floats * sizeof(float) + (GuessStateBytes + CheckpointHeaderBytesPerCell) * Spec.PackSize + CheckpointHeaderBytes;
        }
    }
}
