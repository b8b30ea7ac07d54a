using System.Security.Cryptography;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Weights;

/// <summary>
/// Starting weights read from a weights file (<see cref="WeightsFileReader"/>) instead of drawn: the arrays a PyTorch
/// <c>torch.nn.Sequential</c> of Linear and ReLU layers names (<see cref="MlpWeights"/>), every one of this model's and
/// no other, each of its layer's shape and finite. Every cell of a pack starts from them.
/// </summary>
public static class InitialWeights
{
    /// <summary>The file's identity as a pack's configuration keeps it: the SHA-256 of its bytes, cut to 32 hex digits.</summary>
    public static string Digest(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            return Text(SHA256.HashData(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new DataFormatException(path, "cannot be read: " + e.Message, e); }
    }

    /// <summary>The digest of a file's bytes as <see cref="WeightsFileReader.ReadBytes"/> read them.</summary>
    public static string Digest(byte[] bytes) => Text(SHA256.HashData(bytes));

    private static string Text(byte[] sha256) => Convert.ToHexStringLower(sha256)[..32];

    /// <summary>[P, N] parameters on <paramref name="device"/>: the file's, in every row. <paramref name="digest"/>, when
    /// given, is the file's as the pack was configured with it: a file changed since is refused. The file is read once,
    /// and the bytes hashed are the bytes parsed: a file replaced between a digest and a second read would have started
    /// the pack from weights no digest vouched for.</summary>
    public static Tensor Pack(string path, string? digest, MlpShape shape, long packSize, Device device)
    {
        var bytes = WeightsFileReader.ReadBytes(path);
        if (digest is not null && Digest(bytes) is var now && now != digest)
            throw new DataChangedException($"{path} has changed since this run started from it (digest {digest}, now {now}): " +
                                           "its checkpoint goes on from the old weights; start a new run to train from the new ones");
        var row = Flat(path, WeightsFileReader.Parse(path, bytes).Arrays, shape);
        using var scope = NewDisposeScope();
        return tensor(row).view(1, -1).expand(packSize, -1).contiguous().to(device).MoveToOuterDisposeScope();
    }

    /// <summary>One cell's flat parameters from <paramref name="arrays"/>, in <see cref="MlpShape.Offsets"/> order.</summary>
    public static float[] Flat(string path, IReadOnlyList<NamedArray> arrays, MlpShape shape)
    {
        var byName = arrays.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var expected = Enumerable.Range(0, shape.Layers).SelectMany(i => new[] { MlpWeights.ModuleName(i) + ".weight", MlpWeights.ModuleName(i) + ".bias" }).ToList();
        var model = $"a {shape.Depth} × {shape.Width} MLP on {shape.Inputs} inputs and {shape.Classes} classes";
        if (expected.FirstOrDefault(n => !byName.ContainsKey(n)) is { } missing)
            throw new DataFormatException(path, $"it has no '{missing}', which {model} needs (it holds {Names(arrays)}; " +
                                                $"expected {string.Join(", ", expected)})");
        if (arrays.FirstOrDefault(a => !expected.Contains(a.Name)) is { } extra)
            throw new DataFormatException(path, $"it holds '{extra.Name}', which no layer of {model} has");
        var flat = new float[shape.ParameterCount];
        for (int i = 0; i < shape.Layers; i++)
        {
            var (w, b) = shape.Offsets(i);
            Place(byName[MlpWeights.ModuleName(i) + ".weight"], [shape.OutSize(i), shape.InSize(i)], w);
            Place(byName[MlpWeights.ModuleName(i) + ".bias"], [shape.OutSize(i)], b);
        }
        return flat;

        void Place(NamedArray a, long[] want, long offset)
        {
            if (!a.Shape.SequenceEqual(want))
                throw new DataFormatException(path, $"'{a.Name}' is [{string.Join(", ", a.Shape)}], and {model} needs [{string.Join(", ", want)}]");
            if (a.Values.Any(v => !float.IsFinite(v))) throw new DataFormatException(path, $"'{a.Name}' holds values that are not finite");
            a.Values.CopyTo(flat, offset);
        }
    }

    private static string Names(IReadOnlyList<NamedArray> arrays) =>
        arrays.Count == 0 ? "no arrays" : string.Join(", ", arrays.Take(8).Select(a => a.Name)) + (arrays.Count > 8 ? $" and {arrays.Count - 8} more" : "");
}
