using GradGuessCluster.Grains.Interfaces.Contracts;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>
/// Reads a sweep spec (SPEC §6 YAML) and validates it: unknown fields, wrong types and every semantic problem are
/// collected into one <see cref="SpecValidationException"/>. A relative <c>data.dir</c> is taken relative to the spec file.
/// </summary>
public static class SweepSpecParser
{
    private static readonly string[] TopKeys =
    [
        "name", "data", "model", "methods", "optimizers", "learningRates", "seeds", "epochs", "batchSize", "evaluateEvery",
        "checkpointEvery", "diagnostics", "selection", "packing", "maxCells", "estimator", "optimizer", "rowRates",
    ];
    private static readonly string[] Required = ["name", "data", "methods", "optimizers", "learningRates", "epochs"];
    private static readonly string[] DataKeys = ["set", "dir", "train", "test", "features", "seed"];
    private static readonly string[] SyntheticOnlyKeys = ["train", "test", "features", "seed"];
    private static readonly string[] ModelKeys = ["depth", "width", "initScale", "init", "initDigest"];
    private static readonly string[] DiagnosticsKeys = ["cosineEvery", "effectiveRank"];
    private static readonly string[] SelectionKeys = ["metric", "at", "window"];
    private static readonly string[] EstimatorKeys = ["guesses", "normalise", "onePass", "matchedCosine"];
    private static readonly string[] RowRatesKeys = ["method", "optimizer", "learningRates"];
    private static readonly string[] OptimizerKeys = ["weightDecay", "momentum", "beta1", "beta2", "epsilon", "clipThreshold", "outputLrScale", "schedule", "warmupEpochs"];

    /// <param name="earlierUnknown">The spec may be for a stored sweep whose earlier generations this caller does not know (an
    /// extension, or the same spec again after the sweep grew): the cap on a pack's parameters judges one cell here, and the
    /// coordinator, which knows them, the packs (<see cref="SweepSpecValidator.Validate"/>).</param>
    public static SweepSpec ParseFile(string path, IDataSetCheck? dataCheck = null, bool earlierUnknown = false)
    {
        string text;
        try
        {
            // .NET reports a directory as "access denied", which sends the user hunting for a permission problem.
            if (Directory.Exists(path)) throw new IOException("is a directory");
            text = ReadCapped(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new SpecValidationException([new SpecError("", $"cannot read the spec file: {e.Message}")], path);
        }
        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path)), dataCheck, earlierUnknown);
    }

    /// <summary>Bytes a spec file may hold: a grid of <see cref="SweepSpecValidator.HardMaxCells"/> cells is a few lines, and
    /// a long list of seeds or rates a few hundred KiB. <c>plan /dev/zero</c> once read 4 GB before running out of memory.</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>The file's text as <see cref="File.ReadAllText(string)"/> reads it (UTF-8 unless a byte-order mark says
    /// otherwise), reading no more than one byte past <see cref="MaxFileBytes"/>: a device or pipe need not say its size.</summary>
    private static string ReadCapped(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var bytes = new byte[MaxFileBytes + 1];
        int length = 0, read;
        while (length < bytes.Length && (read = stream.Read(bytes, length, bytes.Length - length)) > 0) length += read;
        if (length > MaxFileBytes) throw new IOException($"it holds more than {MaxFileBytes / (1 << 20)} MiB, the most a spec may");
        using var reader = new StreamReader(new MemoryStream(bytes, 0, length), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <param name="source">A label for messages (the file name).</param>
    /// <param name="baseDirectory">Directory that a relative <c>data.dir</c> is resolved against; null = as written.</param>
    /// <param name="dataCheck">Checks that the data set is present; null skips that check.</param>
    /// <param name="earlierUnknown">As <see cref="ParseFile"/>'s.</param>
    public static SweepSpec Parse(string yaml, string? source = null, string? baseDirectory = null, IDataSetCheck? dataCheck = null,
        bool earlierUnknown = false)
    {
        var nodes = new SpecYamlNodes();
        var spec = Read(yaml, nodes, baseDirectory);
        var errors = new List<SpecError>(nodes.Errors);
        if (spec is not null) errors.AddRange(SweepSpecValidator.Validate(spec, dataCheck, nodes.Errors.Select(e => e.Path), earlierUnknown: earlierUnknown));
        if (errors.Count > 0) throw new SpecValidationException(errors, source);
        return spec!;
    }

    private static SweepSpec? Read(string yaml, SpecYamlNodes nodes, string? baseDirectory)
    {
        // YAML allows no C0 control character but tab and line breaks; YamlDotNet meets a NUL with an ArgumentException
        // about its parser's events, and a binary file given by mistake is full of them.
        if (FirstControlCharacter(yaml) is { } bad)
        {
            nodes.Error("", $"not a YAML text: control character U+{(int)bad.Character:X4} at line {bad.Line}, column {bad.Column}");
            return null;
        }
        var stream = new YamlStream();
        try
        {
            if (UnsafeStructure(yaml) is { } unsafeStructure)
            {
                nodes.Error("", unsafeStructure);
                return null;
            }
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            nodes.Error("", $"malformed YAML at line {ex.Start.Line}, column {ex.Start.Column}: {(ex.InnerException?.Message ?? ex.Message).ReplaceLineEndings(" ")}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some malformed input (an unclosed flow sequence, for one); its
            // message ("operation is not valid due to the current state...") says nothing a user can act on.
            nodes.Error("", "malformed YAML: an unclosed bracket, brace or quote?");
            return null;
        }
        catch (ArgumentException ex)
        {
            // Thrown for an alias where no node may stand ("the current event is of an unsupported type") or a tag that
            // is no URI; the parameter name it appends means nothing to the spec's author.
            var why = ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal);
            nodes.Error("", $"malformed YAML (a stray alias '*', anchor '&' or tag '!'?): {why}");
            return null;
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            nodes.Error("", stream.Documents.Count == 0 ? "the spec is empty" :
                stream.Documents.Count > 1 ? "expected one YAML document" : "expected a mapping of fields (name, data, methods, ...)");
            return null;
        }

        var f = nodes.Fields(root, "", TopKeys);
        foreach (var key in Required.Where(k => !f.ContainsKey(k))) nodes.Error(key, "required");
        // The spec lands in grain state, whose JSON serializer reads back only known collection types: a collection
        // expression like [0] would be a compiler-made type, written fine and then refused on every read.
        var fallback = new SweepSpec("", new DataSpec(""), new ModelSpec(), [], [], [], new List<int> { 0 }, 0);
        var epochs = Get(f, "epochs", nodes.Int);
        // `epochs: ~` or `epochs:` read as no value, which the validator met as 0 ("must be between 1 and ... (got 0)").
        if (epochs is null && f.ContainsKey("epochs") && !nodes.Errors.Any(e => e.Path == "epochs"))
            nodes.Error("epochs", $"empty: required, a whole number between 1 and {SweepSpecValidator.MaxEpochs}");
        return new SweepSpec(
            Name: Get(f, "name", (n, p) => nodes.String(n, p)) ?? "",
            Data: f.TryGetValue("data", out var data) ? ReadData(data, nodes, baseDirectory) : fallback.Data,
            Model: f.TryGetValue("model", out var model) ? ReadModel(model, nodes, baseDirectory) : fallback.Model,
            Methods: f.TryGetValue("methods", out var m) ? nodes.StringList(m, "methods") : [],
            Optimizers: f.TryGetValue("optimizers", out var o) ? nodes.StringList(o, "optimizers") : [],
            LearningRates: f.TryGetValue("learningRates", out var lr) ? nodes.DoubleList(lr, "learningRates") : [],
            Seeds: f.TryGetValue("seeds", out var s) ? nodes.IntList(s, "seeds") : fallback.Seeds,
            Epochs: epochs ?? 0,
            BatchSize: Get(f, "batchSize", nodes.Int) ?? SweepSpec.DefaultBatchSize,
            EvaluateEvery: Get(f, "evaluateEvery", nodes.Int) ?? 1,
            CheckpointEvery: Get(f, "checkpointEvery", nodes.Int) ?? SweepSpec.DefaultCheckpointEvery,
            Diagnostics: f.TryGetValue("diagnostics", out var d) ? ReadDiagnostics(d, nodes) : null,
            Selection: f.TryGetValue("selection", out var sel) ? ReadSelection(sel, nodes) : null,
            Packing: Get(f, "packing", (n, p) => nodes.OneOf(n, p, ["none", "lr"])) == "lr" ? PackingMode.Lr : PackingMode.None,
            MaxCells: Get(f, "maxCells", nodes.Int) ?? SweepSpec.DefaultMaxCells,
            Estimator: f.TryGetValue("estimator", out var e) ? ReadEstimator(e, nodes) : null,
            Optimizer: f.TryGetValue("optimizer", out var opt) ? ReadOptimizer(opt, nodes) : null,
            RowRates: f.TryGetValue("rowRates", out var rows) ? ReadRowRates(rows, nodes) : null);
    }

    /// <summary><c>rowRates: [{ method: M, optimizer: O, learningRates: [...] }, ...]</c>. An entry that fails to read is an
    /// error at its own path and stays in the list as a placeholder, so later entries keep their indices in messages.</summary>
    private static List<RowLearningRates>? ReadRowRates(YamlNode node, SpecYamlNodes nodes)
    {
        var rows = new List<RowLearningRates>();
        foreach (var (item, path) in nodes.Items(node, "rowRates"))
        {
            var f = nodes.Fields(item, path, RowRatesKeys);
            if (item is YamlMappingNode)
                foreach (var key in RowRatesKeys.Where(k => !f.ContainsKey(k))) nodes.Error($"{path}.{key}", "required");
            rows.Add(new RowLearningRates(
                Get(f, "method", (n, _) => nodes.String(n, $"{path}.method")) ?? "",
                Get(f, "optimizer", (n, _) => nodes.String(n, $"{path}.optimizer")) ?? "",
                f.TryGetValue("learningRates", out var lr) ? nodes.DoubleList(lr, $"{path}.learningRates") : []));
        }
        return rows.Count > 0 ? rows : null;   // none is the same sweep as no field
    }

    private static DataSpec ReadData(YamlNode node, SpecYamlNodes nodes, string? baseDirectory)
    {
        // `data: fashion-mnist` is shorthand for `data: { set: fashion-mnist }`.
        if (node is YamlScalarNode) return new DataSpec(nodes.String(node, "data.set") ?? "");
        var f = nodes.Fields(node, "data", DataKeys);
        if (node is YamlMappingNode && !f.ContainsKey("set") && !nodes.Errors.Any(e => e.Path == "data.set"))
            nodes.Error("data.set", $"required: one of {string.Join(", ", SpecNames.DataSets)}");
        var dir = Get(f, "dir", (n, p) => nodes.String(n, "data.dir"));
        // Kept as written when absolute: data.dir is part of cell ids, so a new spelling here would change the ids of
        // every sweep stored with the old one (which a resubmit or an extension must find again).
        // An empty or unusable one is left as written, for the validator to name: resolved, "" would become the spec's
        // own folder, and a NUL (a YAML "\0" escape) makes GetFullPath throw.
        if (dir is not null && baseDirectory is not null && !Path.IsPathRooted(dir) && SweepSpecValidator.DataDirectoryProblem(dir) is null)
            dir = Path.GetFullPath(Path.Combine(baseDirectory, dir));
        var set = Get(f, "set", (n, p) => nodes.String(n, "data.set")) ?? "";
        // A key the chosen set does not read would be ignored without a word.
        if (set == DataSpec.SyntheticSet && f.ContainsKey("dir"))
            nodes.Error("data.dir", "synthetic data is generated, not read from files: leave dir out");
        if (set != DataSpec.SyntheticSet && SpecNames.DataSets.Contains(set))
            foreach (var key in SyntheticOnlyKeys.Where(f.ContainsKey))
                nodes.Error($"data.{key}", $"only synthetic data takes {key} ({set} is read from its files)");
        return new DataSpec(
            set,
            dir,
            Get(f, "train", (n, p) => nodes.Int(n, "data.train")) ?? DataSpec.DefaultSyntheticTrain,
            Get(f, "test", (n, p) => nodes.Int(n, "data.test")) ?? DataSpec.DefaultSyntheticTest,
            Get(f, "features", (n, p) => nodes.Int(n, "data.features")) ?? DataSpec.DefaultSyntheticFeatures,
            Get(f, "seed", (n, p) => nodes.Int(n, "data.seed")) ?? DataSpec.DefaultSyntheticSeed);
    }

    private static ModelSpec ReadModel(YamlNode node, SpecYamlNodes nodes, string? baseDirectory)
    {
        var f = nodes.Fields(node, "model", ModelKeys);
        var defaults = new ModelSpec();
        // Resolved against the spec's folder as data.dir is (and, like it, kept as written when absolute or unusable).
        var init = Get(f, "init", (n, _) => nodes.String(n, "model.init"));
        if (init is not null && baseDirectory is not null && !Path.IsPathRooted(init) && SweepSpecValidator.DataDirectoryProblem(init) is null)
            init = Path.GetFullPath(Path.Combine(baseDirectory, init));
        return new ModelSpec(
            Get(f, "depth", (n, _) => nodes.Int(n, "model.depth")) ?? defaults.Depth,
            Get(f, "width", (n, _) => nodes.Int(n, "model.width")) ?? defaults.Width,
            Get(f, "initScale", (n, _) => nodes.Double(n, "model.initScale")),
            init,
            Get(f, "initDigest", (n, _) => nodes.String(n, "model.initDigest")));
    }

    private static DiagnosticsSpec ReadDiagnostics(YamlNode node, SpecYamlNodes nodes)
    {
        var f = nodes.Fields(node, "diagnostics", DiagnosticsKeys);
        return new DiagnosticsSpec(
            Get(f, "cosineEvery", (n, _) => nodes.Int(n, "diagnostics.cosineEvery")) ?? 0,
            Get(f, "effectiveRank", (n, _) => nodes.Bool(n, "diagnostics.effectiveRank")) ?? false);
    }

    private static SelectionSpec ReadSelection(YamlNode node, SpecYamlNodes nodes)
    {
        var f = nodes.Fields(node, "selection", SelectionKeys);
        var metric = Get(f, "metric", (n, _) => nodes.OneOf(n, "selection.metric", SelectionNames.Metrics));
        var at = Get(f, "at", (n, _) => nodes.OneOf(n, "selection.at", SelectionNames.Points));
        // One evaluation is no window: stored as none, so the spec is the same sweep as one without the field.
        var window = Get(f, "window", (n, _) => nodes.Int(n, "selection.window"));
        return new SelectionSpec(SelectionNames.Metric(metric), SelectionNames.Point(at), Window: window == 1 ? null : window);
    }

    private static EstimatorSpec ReadEstimator(YamlNode node, SpecYamlNodes nodes)
    {
        var f = nodes.Fields(node, "estimator", EstimatorKeys);
        var defaults = new EstimatorSpec();
        return new EstimatorSpec(
            Get(f, "guesses", (n, _) => nodes.Int(n, "estimator.guesses")) ?? defaults.Guesses,
            Get(f, "normalise", (n, _) => nodes.Bool(n, "estimator.normalise")),
            Get(f, "onePass", (n, _) => nodes.Bool(n, "estimator.onePass")) ?? defaults.OnePass,
            Get(f, "matchedCosine", (n, _) => nodes.Double(n, "estimator.matchedCosine")) ?? defaults.MatchedCosine);
    }

    private static OptimizerSpec ReadOptimizer(YamlNode node, SpecYamlNodes nodes)
    {
        var f = nodes.Fields(node, "optimizer", OptimizerKeys);
        double? Read(string key) => Get(f, key, (n, _) => nodes.Double(n, "optimizer." + key));
        return new OptimizerSpec(Read("weightDecay"), Read("momentum"), Read("beta1"), Read("beta2"), Read("epsilon"), Read("clipThreshold"), Read("outputLrScale"),
            Get(f, "schedule", (n, _) => nodes.String(n, "optimizer.schedule")), Get(f, "warmupEpochs", (n, _) => nodes.Int(n, "optimizer.warmupEpochs")));
    }

    /// <summary>Lists and mappings may nest this deep; a spec nests two (<c>data: { set: ... }</c>).</summary>
    public const int MaxNesting = 16;

    /// <summary>
    /// What YamlDotNet's node tree cannot be built from, found in its event stream first: a mapping key that is or holds an
    /// alias or anchor can refer to itself (<c>? &amp;k [*k]</c>, or an alias of a later <c>&amp;k [*k]</c>), and hashing or
    /// comparing that key recurses until the stack overflows, which kills the process; deep nesting (<c>[[[[...</c>)
    /// overflows its recursive loader too, and its scanner slows quadratically with depth. Stops at the first problem, so
    /// a deep text is not scanned to its end.
    /// </summary>
    private static string? UnsafeStructure(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        // Per open list or mapping: whether it is a mapping, whether its next node is a key, whether it lies inside a key.
        var open = new Stack<(bool Mapping, bool KeyNext, bool InKey)>();
        while (parser.MoveNext())
        {
            var e = parser.Current!;
            if (e is SequenceEnd or MappingEnd) open.Pop();
            if (e is not (NodeEvent or AnchorAlias)) continue;
            var inKey = false;
            if (open.TryPop(out var parent))
            {
                inKey = parent.InKey || parent.KeyNext;
                open.Push(parent with { KeyNext = parent.Mapping && !parent.KeyNext });   // keys and values alternate
            }
            if (inKey && (e is AnchorAlias || e is NodeEvent { Anchor.IsEmpty: false }))
                return $"unsupported YAML at line {e.Start.Line}, column {e.Start.Column}: an anchor '&' or alias '*' in a field name (a spec's field names are plain words)";
            if (e is SequenceStart or MappingStart)
            {
                if (open.Count >= MaxNesting)
                    return $"unsupported YAML at line {e.Start.Line}, column {e.Start.Column}: lists and mappings nested more than {MaxNesting} deep (a spec needs two)";
                open.Push((e is MappingStart, e is MappingStart, inKey));
            }
        }
        return null;
    }

    private static (int Line, int Column, char Character)? FirstControlCharacter(string text)
    {
        int line = 1, column = 1;
        foreach (char c in text)
        {
            if (c == '\n') { line++; column = 1; continue; }
            if (char.IsControl(c) && c is not ('\t' or '\r' or '\u0085')) return (line, column, c);
            column++;
        }
        return null;
    }

    private static T? Get<T>(Dictionary<string, YamlNode> fields, string key, Func<YamlNode, string, T?> read) =>
        fields.TryGetValue(key, out var node) ? read(node, key) : default;
}
