using GradGuessCluster.Grains.Placement;

namespace GradGuessCluster.Grains.Tests.Placement;

public sealed class SiloSlotsTests
{
    [Fact]
    public void From_MetadataPastTheBounds_IsClamped_SoTheLedgersSumsOverSilosStayInts()
    {
        // Two silos advertising 2,000,000,000 CPU slots made the ledger's capacity sum throw, and no sweep could start.
        var huge = new Dictionary<string, string>
        {
            [SiloSlots.GpuCountKey] = "2147483647", [SiloSlots.GpuSlotsKey] = "2147483647",
            [SiloSlots.CpuTrainingKey] = "true", [SiloSlots.CpuSlotsKey] = "2000000000",
        };
        var slots = SiloSlots.From(huge);
        Assert.Equal((SiloSlots.MaxGpus, SiloSlots.MaxSlots, SiloSlots.MaxSlots), (slots.GpuCount, slots.SlotsPerGpu, slots.CpuSlots));
        Assert.Equal((SiloSlots.MaxGpus + 1L) * SiloSlots.MaxSlots, new[] { slots, slots }.Sum(s => (long)s.Total) / 2);
        Assert.True(new[] { slots, slots, slots }.Sum(s => s.Total) > 0);   // an int sum, as the ledger takes it
    }
}
