using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Estimators;

/// <summary>
/// The GPU kind of guess stream (<see cref="SeededDefaultNormal"/>: the device's default generator, reseeded per draw),
/// exercised on the CPU's default generator, which is process-wide state: hence the collection.
/// </summary>
[Collection(ProcessWideState.Name)]
public class DefaultGeneratorStreamsTests
{
    public DefaultGeneratorStreamsTests() => TinyNets.Init();

    private static GuessStreams Streams(params long[] seeds) => new(seeds, CPU, defaultGenerator: true);

    [Fact]
    public void Draws_DependOnTheStreamsStateAlone_NotOnOtherUsersOfTheGenerator()
    {
        using var scope = NewDisposeScope();
        var a = Streams(5, 5, 9);
        var b = Streams(5, 5, 9);
        for (int step = 0; step < 3; step++)
        {
            var drawn = a.Normal(4, 6);
            randn(1000);                                   // someone else draws from the default generator meanwhile
            manual_seed(step);
            Assert.True(Tensors.Same(drawn, b.Normal(4, 6)), $"step {step}: two packs of the same seeds drew differently");
            Assert.True(Tensors.Same(drawn[0], drawn[1]), "cells sharing a seed drew differently");
            Assert.False(Tensors.Same(drawn[0], drawn[2]), "cells with other seeds drew the same values");
        }
        var alone = Streams(9);
        for (int step = 0; step < 3; step++) alone.Normal(4, 6);
        var again = Streams(5, 5, 9);
        for (int step = 0; step < 3; step++) again.Normal(4, 6);
        Assert.True(Tensors.Same(again.Normal(8)[2], alone.Normal(8)[0]), "a cell draws otherwise in a pack than alone");
    }

    [Fact]
    public async Task ConcurrentPacks_DrawWhatTheyDrawOneAfterTheOther()
    {
        // Many small draws, started together: without the lock, one pack's reseed lands between another's seed and
        // its draw within a few hundred draws on two cores.
        const int Draws = 3000;
        long[] seeds = [1, 2, 3];
        using var start = new Barrier(seeds.Length);
        float[][] Run(long seed, bool together)
        {
            using var scope = NewDisposeScope();
            var s = Streams(seed, seed + 1);
            if (together) start.SignalAndWait();
            return Enumerable.Range(0, Draws).Select(_ => s.Normal(4).data<float>().ToArray()).ToArray();
        }
        var sequential = seeds.Select(seed => Run(seed, together: false)).ToArray();
        var concurrent = await Task.WhenAll(seeds.Select(seed => Task.Factory.StartNew(() => Run(seed, together: true),
            TaskCreationOptions.LongRunning)));
        for (int t = 0; t < seeds.Length; t++)
            for (int i = 0; i < Draws; i++)
                Assert.True(sequential[t][i].SequenceEqual(concurrent[t][i]), $"pack {t}, draw {i} differs when packs draw concurrently");
    }

    [Fact]
    public void States_RoundTrip_AndAStateFromTheOtherKindContinuesDeterministically()
    {
        using var scope = NewDisposeScope();
        var a = Streams(5, 5, 9);
        a.Normal(100);
        var states = a.GetStates();
        Assert.Equal(3, states[0].numel());
        Assert.True(Tensors.Same(states[0], states[1]), "cells sharing a seed reported different states");
        var next = a.Normal(10);
        var b = Streams(5, 5, 9);
        b.SetStates(states);
        Assert.True(Tensors.Same(b.Normal(10), next), "a restored pack does not continue where the saved one was");

        // A CPU pack's checkpoint resumed on a GPU slot, and a GPU pack's resumed on a CPU slot: both continue on a
        // stream derived from the state, the same one each time, still shared by cells that share a seed.
        var cpu = new GuessStreams([5, 5, 9], CPU);
        cpu.Normal(100);
        var cpuStates = cpu.GetStates();
        var c1 = Streams(5, 5, 9);
        var c2 = Streams(5, 5, 9);
        c1.SetStates(cpuStates);
        c2.SetStates(cpuStates);
        var continued = c1.Normal(20);
        Assert.True(Tensors.Same(continued, c2.Normal(20)), "one CPU checkpoint continued two ways on the GPU kind");
        Assert.True(Tensors.Same(continued[0], continued[1]), "cells sharing a seed stopped sharing their draws");
        var d1 = new GuessStreams([5, 5, 9], CPU);
        var d2 = new GuessStreams([5, 5, 9], CPU);
        d1.SetStates(states);
        d2.SetStates(states);
        Assert.True(Tensors.Same(d1.Normal(20), d2.Normal(20)), "one GPU checkpoint continued two ways on the CPU");
    }

}
