namespace GradGuessCluster.Training.Model;

/// <summary>Layer sizes of a ReLU MLP: Inputs → Width × Depth → Classes, i.e. Depth + 1 linear layers.</summary>
public sealed record MlpShape(int Inputs, int Width, int Depth, int Classes)
{
    public int Layers => Depth + 1;

    /// <summary>Input size of linear layer i (0-based).</summary>
    public int InSize(int i) => i == 0 ? Inputs : Width;

    /// <summary>Output size n_i of linear layer i.</summary>
    public int OutSize(int i) => i == Layers - 1 ? Classes : Width;

    /// <summary>The widest layer output (a hidden layer's or the logits'): its activations size an evaluation's chunk.</summary>
    public int WidestOutput => Math.Max(Width, Classes);

    /// <summary>Parameters of one cell (weights and biases).</summary>
    public long ParameterCount => Enumerable.Range(0, Layers).Sum(i => (long)OutSize(i) * InSize(i) + OutSize(i));

    /// <summary>Offsets of (W_i, b_i) inside a cell's flat parameter vector: W_i then b_i, layer by layer.</summary>
    public (long Weight, long Bias) Offsets(int i)
    {
        long off = 0;
        for (int j = 0; j < i; j++) off += (long)OutSize(j) * InSize(j) + OutSize(j);
        return (off, off + (long)OutSize(i) * InSize(i));
    }

    public void Validate()
    {
        if (Inputs < 1) throw new ArgumentException($"inputs must be >= 1, got {Inputs}");
        if (Width < 1) throw new ArgumentException($"width must be >= 1, got {Width}");
        if (Depth < 1) throw new ArgumentException($"depth must be >= 1, got {Depth}");
        if (Classes < 2) throw new ArgumentException($"classes must be >= 2, got {Classes}");
    }
}
