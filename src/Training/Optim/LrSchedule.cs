using System.Globalization;

namespace GradGuessCluster.Training.Optim;

public enum ScheduleKind { Constant, Cosine }

/// <summary>
/// A learning-rate schedule, stepped once an epoch (as PyTorch's schedulers stepped after each epoch): epoch e (from 1)
/// trains at lr × <see cref="Factor"/>(e), its decoupled decay too. A linear warm-up of <see cref="WarmupEpochs"/> epochs
/// trains epoch e ≤ W at e/(W+1) of the rate; after it, <see cref="ScheduleKind.Constant"/> keeps the rate and
/// <see cref="ScheduleKind.Cosine"/> anneals it over the rest of its <see cref="Epochs"/>: ½(1 + cos(π(e − W − 1)/(E − W))),
/// 1 at the first epoch after the warm-up and above 0 at the last, so no epoch trains at rate 0.
/// </summary>
/// <param name="Epochs">The cosine's horizon, the run's epochs (0 for a constant schedule, whose length does not matter):
/// part of a checkpoint's fingerprint, so a run resumed towards another horizon is refused, not silently re-annealed.</param>
public sealed record LrSchedule(ScheduleKind Kind, int WarmupEpochs = 0, int Epochs = 0)
{
    public static IReadOnlyList<string> Names { get; } = ["constant", "cosine"];

    /// <summary>The schedule a spec or command line names; null for the default (a constant rate without warm-up), so a
    /// run without one hashes and trains as before schedules existed. <paramref name="epochs"/> is the run's.</summary>
    public static LrSchedule? Of(ScheduleKind kind, int warmupEpochs, int epochs) =>
        kind == ScheduleKind.Constant && warmupEpochs == 0 ? null
            : new LrSchedule(kind, warmupEpochs, kind == ScheduleKind.Cosine ? epochs : 0);

    public static bool TryParse(string name, out ScheduleKind kind)
    {
        int i = Array.IndexOf([.. Names], name);
        kind = (ScheduleKind)Math.Max(i, 0);
        return i >= 0;
    }

    public static string Name(ScheduleKind kind) => Names[(int)kind];

    /// <summary>The multiple of the learning rate epoch <paramref name="epoch"/> (from 1) trains at.</summary>
    public double Factor(int epoch)
    {
        if (epoch <= WarmupEpochs) return epoch / (WarmupEpochs + 1.0);
        if (Kind == ScheduleKind.Constant) return 1.0;
        var progress = Math.Min(1.0, (epoch - WarmupEpochs - 1.0) / (Epochs - WarmupEpochs));
        return 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>Throws <see cref="InvalidSettingException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new InvalidSettingException("schedule", $"must be {string.Join(" or ", Names)}, got {(int)Kind}");
        if (WarmupEpochs < 0) throw new InvalidSettingException("warmup epochs", $"must be >= 0, got {WarmupEpochs}");
        if (Kind == ScheduleKind.Constant && Epochs != 0)
            throw new InvalidSettingException("schedule", $"constant has no horizon, got {Epochs} epochs");
        if (Kind == ScheduleKind.Cosine && WarmupEpochs >= Epochs)
            throw new InvalidSettingException("warmup epochs", $"must be fewer than the {Epochs} epochs the rate anneals over (the cosine needs one at least), got {WarmupEpochs}");
    }

    /// <summary>"cosine over 100 epochs, 5 warm-up", "constant after 5 warm-up epochs".</summary>
    public override string ToString() => Kind == ScheduleKind.Cosine
        ? $"cosine over {Epochs.ToString(CultureInfo.InvariantCulture)} epochs" + (WarmupEpochs > 0 ? $", {WarmupEpochs} warm-up" : "")
        : $"constant after {WarmupEpochs} warm-up {(WarmupEpochs == 1 ? "epoch" : "epochs")}";
}
