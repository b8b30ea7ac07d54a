using System.Globalization;
using System.Text;
using System.Text.Json;
using GradGuessCluster.Training;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Client.Rendering;

/// <summary>One line per epoch: a JSON object (<c>--json</c>) or an aligned text row.</summary>
/// <param name="scheduled">The cell's optimizer where its rate follows a schedule: each line then says the rate its epoch
/// trained at (<c>learningRate</c>, <c>lr</c>), so a run shows its own schedule.</param>
internal sealed class EpochLines(bool json, OptimizerSettings? scheduled = null)
{
    public string Header(PackSpec spec, Dataset data) =>
        $"{EstimatorNames.Name(spec.Estimator.Kind)}{Options(spec.Estimator)} on {data.Name} ({data.TrainCount} train / {data.TestCount} test), " +
        $"{spec.Depth}×{spec.Width} MLP{(spec.InitFrom is { } init ? $" from {init}" : "")}, batch {spec.BatchSize}, {Units.Count(spec.Epochs, "epoch")}" +
        (spec.Cells[0].Optimizer.Schedule is { } schedule ? $", learning rate {schedule}" : "") + "\n" +
        "epoch  train-loss  train-acc  test-acc  cosine    seconds";

    private static string Options(EstimatorSettings est) =>
        GuessOptionText.NonDefault(est).ToList() is { Count: > 0 } given ? $" ({string.Join(", ", given)})" : "";

    public string Format(EpochMetrics m) => json ? Json(m, RateAt(m.Epoch)) : Text(m, RateAt(m.Epoch));

    private double? RateAt(int epoch) => scheduled is { Schedule: { } schedule } ? scheduled.LearningRate * schedule.Factor(epoch) : null;

    private static string Text(EpochMetrics m, double? rate)
    {
        static string F(double? v, string format) => v is { } x && double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "-";
        var line = $"{m.Epoch,5}  {F(m.TrainLoss, "F4"),10}  {F(m.TrainAccuracy, "F4"),9}  {F(m.TestAccuracy, "F4"),8}  " +
                   $"{F(m.CosineSimilarity, "F4"),6}  {F(m.Seconds, "F2"),9}";
        if (m.EffectiveRank is { } ranks)                        // per weight matrix, input layer first
            line += "  rank " + string.Join("/", ranks.Select(r => F(r, "F1")));
        if (rate is { } lr) line += "  lr " + lr.ToString("0.###e+0", CultureInfo.InvariantCulture);
        return m.Diverged ? line + "  diverged" : line;
    }

    private static string Json(EpochMetrics m, double? rate)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("epoch", m.Epoch);
            Number(w, "trainAccuracy", m.TrainAccuracy);
            Number(w, "testAccuracy", m.TestAccuracy);
            Number(w, "trainLoss", m.TrainLoss);
            if (m.CosineSimilarity is not null) Number(w, "cosineSimilarity", m.CosineSimilarity);
            if (m.LayerCosine is { } lc) Array(w, "layerCosineSimilarity", lc);
            if (m.GradientProjection is not null) Number(w, "gradientProjection", m.GradientProjection);
            if (m.UpdateNormRatio is not null) Number(w, "updateNormRatio", m.UpdateNormRatio);
            if (m.StepCosine is not null) Number(w, "stepCosine", m.StepCosine);
            if (m.LayerStepCosine is { } ls) Array(w, "layerStepCosine", ls);
            if (m.LayerGradientShare is { } gs) Array(w, "layerGradientShare", gs);
            if (m.LayerUpdateShare is { } us) Array(w, "layerUpdateShare", us);
            if (m.LayerStepShare is { } ss) Array(w, "layerStepShare", ss);
            if (m.EffectiveRank is { } er) Array(w, "effectiveRank", er);
            if (rate is { } lr) w.WriteNumber("learningRate", lr);
            w.WriteNumber("seconds", m.Seconds);
            w.WriteNumber("evalSeconds", m.EvalSeconds);
            w.WriteBoolean("diverged", m.Diverged);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>JSON has no NaN or infinity: a diverged loss is written as null.</summary>
    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static void Array(Utf8JsonWriter w, string name, IReadOnlyList<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
            if (double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue();
        w.WriteEndArray();
    }
}
