namespace GradGuessCluster.Training.Inspection;

/// <summary>One linear layer of one cell, measured on a whole data set (<see cref="PackInspection"/>).</summary>
/// <param name="Layer">0 = the input layer.</param>
/// <param name="WeightNorm">‖W‖ (Frobenius).</param>
/// <param name="SpectralNorm">σ₁, W's largest singular value: the most it stretches any input.</param>
/// <param name="StableRank">‖W‖² / σ₁²: low when a few directions hold W's size.</param>
/// <param name="EffectiveRank">exp of the entropy of W's normalised singular values (as the sampled diagnostics).</param>
/// <param name="InputRms">√(mean over examples of ‖x‖²) of the layer's input x (the data for layer 0).</param>
/// <param name="InputTopShare">The fraction of ‖W‖² in the span of the top principal directions of the layer's inputs
/// (eigenvectors of their second moment Σ x xᵀ): near k/n for weights that ignore where the inputs lie, near 1 for
/// weights that grew along them. Null for an input wider than <see cref="PackInspection.MaxPrincipalInputs"/>.</param>
/// <param name="ActiveFraction">Hidden layers: the fraction of (example, unit) pairs whose ReLU is open; null for the
/// output layer.</param>
/// <param name="DeadUnits">Hidden layers: units whose ReLU is closed on every example; null for the output layer.</param>
/// <param name="BackwardRms">√(mean over examples of ‖∂ℓ/∂s‖²), the per-example loss's gradient with respect to the
/// layer's pre-activations s: the signal backprop carries down to the layer.</param>
/// <param name="GradientShare">The layer's fraction of the squared norm of the mean loss's true gradient (W and b).</param>
public sealed record LayerAnatomy(
    int Layer, int Inputs, int Outputs, double WeightNorm, double SpectralNorm, double StableRank, double EffectiveRank,
    double InputRms, double? InputTopShare, double? ActiveFraction, int? DeadUnits, double BackwardRms, double GradientShare);

/// <summary>One cell of a pack, measured on a whole data set.</summary>
/// <param name="Loss">Mean cross-entropy over the set.</param>
/// <param name="Accuracy">Fraction classified right.</param>
/// <param name="Directions">How many principal directions <see cref="LayerAnatomy.InputTopShare"/> counts.</param>
public sealed record CellAnatomy(double Loss, double Accuracy, int Directions, IReadOnlyList<LayerAnatomy> Layers);
