namespace GradGuessCluster.Training.Estimators;

public static class EstimatorFactory
{
    public static IGradientEstimator Create(EstimatorSettings settings)
    {
        if (settings.Guesses < 1) throw new InvalidSettingException("guesses", $"must be >= 1, got {settings.Guesses}");
        if (settings.Kind == EstimatorKind.MatchedNoise && !(settings.MatchedCosine > 0 && settings.MatchedCosine <= 1))
            throw new InvalidSettingException("matched-noise cosine", $"must be in (0, 1], got {settings.MatchedCosine}");
        return settings.Kind switch
        {
            EstimatorKind.Backprop => new BackpropEstimator(),
            EstimatorKind.Directional => new DirectionalEstimator(settings),
            EstimatorKind.ActivationPerturbation => new ActivationPerturbationEstimator(settings),
            EstimatorKind.MaskedPerturbation => new MaskedPerturbationEstimator(settings),
            EstimatorKind.WTranspose => new WTransposeEstimator(settings),
            EstimatorKind.Downstream => new DownstreamEstimator(settings),
            EstimatorKind.ActivationMixing => new ActivationMixingEstimator(settings),
            EstimatorKind.MatchedNoise => new MatchedNoiseOracle(settings),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, null),
        };
    }
}
