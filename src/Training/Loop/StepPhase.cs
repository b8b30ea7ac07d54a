namespace GradGuessCluster.Training.Loop;

/// <summary>The phases of one training step, in the order <see cref="PackTrainer.PhaseMark"/> reports their ends.</summary>
public enum StepPhase
{
    /// <summary>From the previous step's end: releasing its tensors, then gathering this step's batch.</summary>
    Batch,
    Forward,
    /// <summary>The loss and its gradient with respect to the logits.</summary>
    Loss,
    /// <summary>The method's update (the guess and its JVP, or backprop).</summary>
    Estimate,
    /// <summary>Cosine similarity with the true gradient, on the steps that sample it.</summary>
    Diagnostics,
    Optimizer,
}
