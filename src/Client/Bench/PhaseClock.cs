using System.Diagnostics;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Client.Bench;

/// <summary>Sums the wall time of each step phase from a trainer's <see cref="PackTrainer.PhaseMark"/>s over one
/// epoch. GPU ops are asynchronous, so on a GPU each mark first waits for the device (pass
/// <paramref name="synchronise"/>); otherwise the marks would time kernel launches, not kernels.</summary>
internal sealed class PhaseClock(Action? synchronise = null)
{
    private readonly Stopwatch _clock = new();
    private readonly double[] _seconds = new double[Enum.GetValues<StepPhase>().Length];
    private TimeSpan _last;
    private int _steps;

    /// <summary>Zeroes the sums; the first step's <see cref="StepPhase.Batch"/> runs from here.</summary>
    public void Restart()
    {
        Array.Clear(_seconds);
        _steps = 0;
        _clock.Restart();
        _last = TimeSpan.Zero;
    }

    public void Mark(StepPhase phase)
    {
        synchronise?.Invoke();
        var now = _clock.Elapsed;
        _seconds[(int)phase] += (now - _last).TotalSeconds;
        _last = now;
        if (phase == StepPhase.Optimizer) _steps++;
    }

    /// <summary>Milliseconds per step spent in each phase since <see cref="Restart"/>.</summary>
    public Dictionary<StepPhase, double> MillisecondsPerStep()
    {
        if (_steps == 0) throw new InvalidOperationException("no step ended since the clock started");
        return Enum.GetValues<StepPhase>().ToDictionary(p => p, p => 1000 * _seconds[(int)p] / _steps);
    }
}
