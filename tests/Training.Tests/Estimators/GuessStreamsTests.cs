using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Estimators;

/// <summary>A pack's guess streams: each cell draws what it would draw alone, whether or not it shares its seed.</summary>
public class GuessStreamsTests
{
    public GuessStreamsTests() => TinyNets.Init();

    [Fact]
    public void NormalInto_DrawsWhatNormalWouldDraw_AndRefusesAMisshapedTarget()
    {
        using var scope = NewDisposeScope();
        var a = new GuessStreams([11, 12], CPU);
        var b = new GuessStreams([11, 12], CPU);
        var target = zeros(2, 37);
        a.NormalInto(target);
        Assert.True(target.eq(b.Normal(37)).all().item<bool>(), "NormalInto and Normal differ");
        a.NormalInto(target);
        Assert.True(target.eq(b.Normal(37)).all().item<bool>(), "the second draws differ (the streams did not advance alike)");
        Assert.Throws<ArgumentException>(() => a.NormalInto(zeros(3, 37)));
        Assert.Throws<ArgumentException>(() => a.NormalInto(zeros(37, 2).t()));
    }

    [Fact]
    public void CellsSharingASeed_DrawWhatEachWouldDrawAlone_StepAfterStep()
    {
        using var scope = NewDisposeScope();
        long[] seeds = [5, 7, 5, 5];
        var pack = new GuessStreams(seeds, CPU);
        var alone = seeds.Select(s => new GuessStreams([s], CPU)).ToArray();
        var target = empty(4, 3, 41);
        for (int step = 0; step < 3; step++)
        {
            // Alternate the two entry points: both must draw once per cell and step.
            var drawn = step % 2 == 0 ? pack.Normal(3, 41) : WithInto(pack, target);
            for (int p = 0; p < seeds.Length; p++)
                Assert.True(Tensors.Same(drawn[p], alone[p].Normal(3, 41)[0]), $"step {step}, cell {p} differs from its run alone");
        }
        Assert.False(Tensors.Same(pack.Normal(8)[0], pack.Normal(8)[1]), "cells with other seeds drew the same values");
    }

    [Fact]
    public void States_RoundTripForSharedSeeds_AndDisagreeingStatesForOneSeedAreRefused()
    {
        using var scope = NewDisposeScope();
        var a = new GuessStreams([5, 5, 9], CPU);
        a.Normal(100);
        var states = a.GetStates();
        Assert.True(Tensors.Same(states[0], states[1]), "cells sharing a seed reported different states");
        var next = a.Normal(10);

        var b = new GuessStreams([5, 5, 9], CPU);
        b.SetStates(states);
        Assert.True(Tensors.Same(b.Normal(10), next), "a restored pack does not continue where the saved one was");

        var c = new GuessStreams([5, 5, 9], CPU);
        var tampered = new[] { states[0], tensor(new[] { states[1][0].item<long>(), states[1][1].item<long>() + 1 }), states[2] };
        var error = Assert.Throws<ArgumentException>(() => c.SetStates(tampered));
        Assert.Contains("share a seed", error.Message);
    }

    [Fact]
    public void AGpuGeneratorsState_ContinuesOnADeterministicStream_ThatStaysSharedAndRoundTrips()
    {
        using var scope = NewDisposeScope();
        // What a CUDA generator's get_state() holds (seed and offset, 16 bytes): a pack checkpointed on a GPU and
        // resumed on a CPU slot.
        var gpu1 = tensor(Enumerable.Range(0, 16).Select(i => (byte)(3 * i + 1)).ToArray());
        var gpu2 = tensor(Enumerable.Range(0, 16).Select(i => (byte)(5 * i + 2)).ToArray());
        var a = new GuessStreams([5, 5, 9], CPU);
        var b = new GuessStreams([5, 5, 9], CPU);
        a.SetStates([gpu1, gpu1, gpu2]);
        b.SetStates([gpu1, gpu1, gpu2]);
        var drawn = a.Normal(50);
        Assert.True(Tensors.Same(drawn, b.Normal(50)), "the same checkpoint continued two ways");
        Assert.True(Tensors.Same(drawn[0], drawn[1]), "cells sharing a seed stopped sharing their draws");
        Assert.False(Tensors.Same(drawn[0], drawn[2]), "different states continued on one stream");

        var saved = a.GetStates();                                                  // the continuation's own checkpoint
        var next = a.Normal(7);
        var c = new GuessStreams([5, 5, 9], CPU);
        c.SetStates(saved);
        Assert.True(Tensors.Same(c.Normal(7), next), "a continued stream does not resume where it was saved");
    }


    private static Tensor WithInto(GuessStreams streams, Tensor target)
    {
        streams.NormalInto(target);
        return target;
    }
}
