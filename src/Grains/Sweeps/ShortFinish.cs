using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>A pack that answers a start with "finished" short of the epochs it was started with did not take a raised
/// length (a silo of a build from before epochs could be raised). Queued again, as a pack that finished the old length
/// before the raise is, it would be started and answer so for ever; its cells fail instead, saying why.</summary>
public static class ShortFinish
{
    /// <summary><paramref name="reply"/> to a start with <paramref name="epochs"/>, with every cell it says completed short
    /// of them failed; the reply itself when there is none.</summary>
    public static PackProgress Judge(PackProgress reply, int epochs, string packId)
    {
        if (reply is not { State: PackRunState.Finished, Outcomes: { } outcomes } || !outcomes.Any(o => Short(o, epochs))) return reply;
        var error = $"pack {packId} was started for {epochs} epochs and answered finished at epoch {outcomes.Where(o => Short(o, epochs)).Max(o => o.LastEpoch)} " +
                    $"on silo {reply.Silo ?? "(unknown)"}: that silo does not train a pack on when a sweep's epochs are raised " +
                    "(an earlier build?); upgrade it and resume the sweep";
        return reply with
        {
            State = PackRunState.Failed,
            Outcomes = [.. outcomes.Select(o => Short(o, epochs) ? o with { State = CellState.Failed, Error = error } : o)],
        };
    }

    private static bool Short(CellOutcome outcome, int epochs) => outcome.State == CellState.Completed && outcome.LastEpoch < epochs;
}
