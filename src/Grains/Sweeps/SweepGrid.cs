using System.Security.Cryptography;
using System.Text;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// A sweep's grid, expanded: cells in grid order (method, optimizer, learning rate, seed) and their packs. A cell's id
/// is a SHA-256 prefix of its full canonical configuration (every shared setting that shapes its training plus its own
/// method, optimizer, learning rate and seed), so the same spec always yields the same ids.
/// </summary>
public sealed class SweepGrid
{
    private const int IdLength = 16;

    private SweepGrid(IReadOnlyList<GridCell> cells, IReadOnlyList<GridPack> packs)
    {
        Cells = cells;
        Packs = packs;
        CellsById = cells.ToDictionary(c => c.CellId);
        PacksById = packs.ToDictionary(p => p.PackId);
    }

    public IReadOnlyList<GridCell> Cells { get; }
    public IReadOnlyList<GridPack> Packs { get; }
    public IReadOnlyDictionary<string, GridCell> CellsById { get; }
    public IReadOnlyDictionary<string, GridPack> PacksById { get; }

    public static SweepGrid Expand(SweepSpec spec)
    {
        var shared = string.Concat(SpecCanonical.Flatten(spec)
            .Where(kv => !SpecCanonical.GridFields.Contains(kv.Key))
            .Select(kv => $"{kv.Key}={kv.Value}\n"));
        var cells = new List<GridCell>();
        var packs = new List<GridPack>();
        foreach (var method in spec.Methods)
        foreach (var optimizer in spec.Optimizers)
        {
            var group = new List<(CellConfig Config, string Id)>();
            foreach (var lr in spec.LearningRates)
            foreach (var seed in spec.Seeds)
            {
                var config = new CellConfig(method, optimizer, lr, seed);
                group.Add((config, CellId(shared, config)));
            }
            // Packs: one per cell, or one per seed holding every learning rate.
            var packed = spec.Packing == PackingMode.Lr
                ? group.GroupBy(c => c.Config.Seed).Select(g => g.ToList()).ToList()
                : group.Select(c => new List<(CellConfig Config, string Id)> { c }).ToList();
            var packOf = new Dictionary<string, string>();
            foreach (var members in packed)
            {
                var packId = members.Count == 1 ? members[0].Id : Hash("pack\n" + string.Join("\n", members.Select(m => m.Id)));
                foreach (var m in members) packOf[m.Id] = packId;
            }
            var groupCells = group.Select(c => new GridCell(c.Id, packOf[c.Id], c.Config)).ToList();
            cells.AddRange(groupCells);
            packs.AddRange(groupCells.GroupBy(c => c.PackId).Select(g => new GridPack(g.Key, g.ToArray())));
        }
        return new SweepGrid(cells, packs);
    }

    private static string CellId(string shared, CellConfig cell) =>
        Hash($"{shared}cell.method={cell.Method}\ncell.optimizer={cell.Optimizer}\n" +
             $"cell.learningRate={SpecCanonical.Text(cell.LearningRate)}\ncell.seed={SpecCanonical.Text(cell.Seed)}\n");

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..IdLength];
}
