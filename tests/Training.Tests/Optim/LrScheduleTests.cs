using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Training.Tests.Optim;

/// <summary>The learning-rate schedule as a setting: its factors, how it is stored, hashed and refused. (Its steps are
/// checked against hand-computed values in <see cref="OptimizerStepTests"/>, whole runs in PackTrainerTests.)</summary>
public class LrScheduleTests
{
    private static PackSpec Pack(OptimizerSettings optimizer, int epochs = 10) => new(new DataSource("synthetic"), Depth: 2, Width: 16,
        new EstimatorSettings(EstimatorKind.WTranspose), BatchSize: 64, Epochs: epochs, DataSeed: 5, [new CellSettings(optimizer, 5)]);

    private static readonly OptimizerSettings Plain = OptimizerSettings.Default(OptimizerKind.AdamW, 1e-3);

    [Fact]
    public void Cosine_WarmsUpLinearly_ThenAnnealsFromTheFullRateToAboveZero()
    {
        var schedule = new LrSchedule(ScheduleKind.Cosine, WarmupEpochs: 2, Epochs: 10);
        double[] expected = [1 / 3.0, 2 / 3.0, 1.0, .. Enumerable.Range(1, 7).Select(k => 0.5 * (1 + Math.Cos(Math.PI * k / 8)))];
        Assert.Equal(expected, Enumerable.Range(1, 10).Select(schedule.Factor), (a, b) => Math.Abs(a - b) < 1e-15);
        Assert.Equal(0.0381, schedule.Factor(10), 4);   // the last epoch still trains
        Assert.Equal([1.0, 0.5], [new LrSchedule(ScheduleKind.Cosine, Epochs: 2).Factor(1), new LrSchedule(ScheduleKind.Cosine, Epochs: 2).Factor(2)]);
        Assert.Equal(1.0, new LrSchedule(ScheduleKind.Cosine, Epochs: 1).Factor(1));
    }

    [Fact]
    public void Constant_WithAWarmUp_HoldsTheRateAfterIt_HoweverLongTheRun()
    {
        var schedule = LrSchedule.Of(ScheduleKind.Constant, warmupEpochs: 3, epochs: 100)!;
        Assert.Equal(0, schedule.Epochs);   // no horizon: growing the run's epochs changes nothing it trained
        Assert.Equal([0.25, 0.5, 0.75, 1.0, 1.0], Enumerable.Range(1, 5).Select(schedule.Factor));
        Assert.Equal(1.0, schedule.Factor(100_000));
        Assert.Equal("constant after 3 warm-up epochs", schedule.ToString());
        Assert.Equal("cosine over 100 epochs, 5 warm-up", LrSchedule.Of(ScheduleKind.Cosine, 5, 100)!.ToString());
    }

    [Fact]
    public void NoSchedule_IsNull_AndLeavesTheFingerprintOfAPackWithout()
    {
        Assert.Null(LrSchedule.Of(ScheduleKind.Constant, 0, 100));
        // Checkpoints written before schedules existed hash a configuration without one: theirs must still match.
        Assert.DoesNotContain(nameof(OptimizerSettings.Schedule), PackFingerprint.Configuration(Pack(Plain)));
    }

    [Fact]
    public void ASchedule_ChangesTheFingerprint_ReadsBack_AndADifferentHorizonIsNamed()
    {
        var cosine = Pack(Plain with { Schedule = LrSchedule.Of(ScheduleKind.Cosine, 1, 10) });
        Assert.NotEqual(PackFingerprint.Of(Pack(Plain)), PackFingerprint.Of(cosine));
        var read = PackFingerprint.Read(PackFingerprint.Configuration(cosine), epochs: 10);
        Assert.Equal(new LrSchedule(ScheduleKind.Cosine, 1, 10), read.Cells[0].Optimizer.Schedule);
        Assert.Equal(PackFingerprint.Of(cosine), PackFingerprint.Of(read));
        var longer = Pack(Plain with { Schedule = LrSchedule.Of(ScheduleKind.Cosine, 1, 20) }, epochs: 20);
        var difference = Assert.Single(PackFingerprint.Compare(PackFingerprint.Configuration(cosine), PackFingerprint.Configuration(longer)));
        Assert.Equal(("Cells[0].Optimizer.Schedule.Epochs", "10", "20"), (difference.Path, difference.Stored, difference.Now));
    }

    [Theory]
    [InlineData(ScheduleKind.Cosine, -1, 10, "warmup epochs", "must be >= 0")]
    [InlineData(ScheduleKind.Cosine, 10, 10, "warmup epochs", "fewer than the 10 epochs")]
    [InlineData(ScheduleKind.Constant, 2, 10, "schedule", "no horizon")]
    [InlineData((ScheduleKind)7, 0, 10, "schedule", "must be constant or cosine")]
    public void ABadSchedule_IsRefused_NamingTheSetting(ScheduleKind kind, int warmup, int epochs, string setting, string problem)
    {
        var e = Assert.Throws<InvalidSettingException>((Plain with { Schedule = new LrSchedule(kind, warmup, epochs) }).Validate);
        Assert.Equal(setting, e.Setting);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void APackTrainingOtherEpochsThanItsCosineSpans_IsRefused()
    {
        var e = Assert.Throws<InvalidSettingException>(() =>
            PackSpecChecks.Validate(Pack(Plain with { Schedule = LrSchedule.Of(ScheduleKind.Cosine, 0, 10) }, epochs: 12)));
        Assert.Equal("schedule", e.Setting);
        Assert.Contains("anneals over 10 epochs, but the pack trains 12", e.Problem);
    }

    [Fact]
    public void Names_ParseBackToTheirKinds_AndAnUnknownNameDoesNot()
    {
        foreach (var name in LrSchedule.Names)
        {
            Assert.True(LrSchedule.TryParse(name, out var kind));
            Assert.Equal(name, LrSchedule.Name(kind));
        }
        Assert.False(LrSchedule.TryParse("linear", out _));
    }
}
