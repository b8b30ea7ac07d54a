using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>How a sweep's cells form packs: the one definition that the grid (SweepGrid) and the validator's cap on a
/// pack's parameters both use, so the cap judges the packs that will really train.</summary>
public static class SpecPacks
{
    /// <summary>The spec's cells in grid order: method, optimizer, learning rate (the grid's, then the row's own), seed.</summary>
    public static IEnumerable<CellConfig> Cells(SweepSpec spec) =>
        from method in spec.Methods
        from optimizer in spec.Optimizers
        from lr in spec.RatesFor(method, optimizer)
        from seed in spec.Seeds
        select new CellConfig(method, optimizer, lr, seed);

    /// <summary>The packs of a sweep whose specs were <paramref name="generations"/>, oldest first (one for a sweep never
    /// extended), each as its cells' keys in grid order. Each generation packs the cells no earlier one packed (told apart
    /// by <paramref name="key"/>): one per cell, or with packing <c>lr</c> one per method, optimizer and seed holding every
    /// such learning rate. So a stored pack keeps its members however the grid grows.</summary>
    public static IEnumerable<List<T>> Of<T>(IEnumerable<SweepSpec> generations, Func<CellConfig, T> key)
    {
        var packed = new HashSet<T>();
        foreach (var spec in generations)
        {
            var fresh = Cells(spec).Select(c => (Config: c, Key: key(c))).Where(c => !packed.Contains(c.Key)).ToList();
            var packs = spec.Packing == PackingMode.Lr
                ? fresh.GroupBy(c => (c.Config.Method, c.Config.Optimizer, c.Config.Seed)).Select(g => g.Select(c => c.Key).ToList())
                : fresh.Select(c => new List<T> { c.Key });
            foreach (var pack in packs)
            {
                packed.UnionWith(pack);
                yield return pack;
            }
        }
    }
}
