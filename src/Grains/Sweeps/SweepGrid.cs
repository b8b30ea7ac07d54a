using System.Security.Cryptography;
using System.Text;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// A sweep's grid, expanded: cells in grid order (method, optimizer, learning rate, seed) and their packs. A cell's id
/// is a SHA-256 prefix of its full canonical configuration (every shared setting that shapes its training plus its own
/// method, optimizer, learning rate and seed), so the same spec always yields the same ids. Its <c>epochs</c> are the
/// first generation's: an extension that raises them trains the stored cells on, under the ids they were created with.
/// </summary>
public sealed class SweepGrid
{
    public const int IdLength = 16;

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

    /// <summary>Expands <paramref name="spec"/>. A sweep extended since it was created (<see cref="Interfaces.Validation.SpecExtension"/>)
    /// passes the specs it had before, oldest first: each generation's new cells form packs among themselves
    /// (<see cref="SpecPacks"/>), so a stored pack keeps its id, members and checkpoint however the grid grows. Cells stay
    /// in the spec's grid order.</summary>
    public static SweepGrid Expand(SweepSpec spec, IReadOnlyList<SweepSpec>? earlier = null)
    {
        var created = earlier is { Count: > 0 } ? earlier[0] : spec;
        var shared = string.Concat(SpecCanonical.Flatten(spec with { Epochs = created.Epochs })
            .Where(kv => !SpecCanonical.IsGridField(kv.Key))
            .Select(kv => $"{kv.Key}={kv.Value}\n"));
        var packOf = new Dictionary<string, string>();
        foreach (var members in SpecPacks.Of((earlier ?? []).Append(spec), c => CellId(shared, c)))
        {
            var packId = members.Count == 1 ? members[0] : Hash("pack\n" + string.Join("\n", members));
            foreach (var id in members) packOf[id] = packId;
        }
        var cells = new List<GridCell>();
        foreach (var config in SpecPacks.Cells(spec))
        {
            var id = CellId(shared, config);
            cells.Add(new GridCell(id, packOf[id], config));
        }
        var packs = cells.GroupBy(c => c.PackId).Select(g => new GridPack(g.Key, g.ToArray())).ToList();
        return new SweepGrid(cells, packs);
    }

    private static string CellId(string shared, CellConfig cell) =>
        Hash($"{shared}cell.method={cell.Method}\ncell.optimizer={cell.Optimizer}\n" +
             $"cell.learningRate={SpecCanonical.Text(cell.LearningRate)}\ncell.seed={SpecCanonical.Text(cell.Seed)}\n");

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..IdLength];
}
