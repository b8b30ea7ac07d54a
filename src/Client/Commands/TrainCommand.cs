using GradGuessCluster.Grains.Interfaces.Validation;
using System.Globalization;
using System.CommandLine;
using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess train</c>: one cell, in process, epoch lines on stdout (SPEC §7).</summary>
internal sealed class TrainCommand : Command
{
    private readonly TrainingOptions _training = new();
    private readonly Option<string> _optimizer = new("--optimizer") { HelpName = "optimizer", Description = "sgd | adamw | stable-adamw", Required = true };
    private readonly Option<double> _lr = new("--lr") { Description = "Learning rate", Required = true };
    private readonly Option<double?> _weightDecay = new("--weight-decay") { Description = "Weight decay λ (default: 0.01 for the Adam variants, 0 for SGD)" };
    private readonly Option<double> _momentum = new("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => 0.0 };
    private readonly Option<double?> _outputLrScale = new("--output-lr-scale")
    {
        Description = "The output layer's learning rate (its step and its decay) as a multiple of --lr (default: 1, every layer at --lr)",
    };
    private readonly Option<string> _schedule = new("--schedule")
    {
        HelpName = "schedule", DefaultValueFactory = _ => "constant",
        Description = "constant | cosine: the learning rate annealed from --lr over --epochs, stepped once an epoch",
    };
    private readonly Option<int> _warmupEpochs = new("--warmup-epochs")
    {
        Description = "Epochs of linear warm-up first: epoch e of N trains at e/(N+1) of the rate", DefaultValueFactory = _ => 0,
    };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed for weights, guesses and data order", DefaultValueFactory = _ => 0 };
    private readonly Option<string?> _checkpoint = new("--checkpoint") { Description = "Checkpoint file: resumed from when it exists, written after every epoch" };
    private readonly Option<string?> _keepEpochs = new("--keep-epochs")
    {
        Description = "Also keep these epochs' checkpoints beside --checkpoint's file, as STEM.epoch-N.ckpt (comma-separated; 0: the weights before training)",
    };
    private readonly Option<bool> _json = new("--json") { Description = "One JSON object per epoch on stdout, nothing else there" };

    public TrainCommand() : base("train", "Train one cell of the grid in this process")
    {
        _training.AddTo(this);
        foreach (var o in new Option[] { _optimizer, _lr, _weightDecay, _momentum, _outputLrScale, _schedule, _warmupEpochs, _seed, _checkpoint, _keepEpochs, _json }) Options.Add(o);
        _optimizer.CompletionSources.Add([.. OptimizerNames.All]);
        _schedule.CompletionSources.Add([.. LrSchedule.Names]);
        SetAction((parse, ct) => Task.Run(() => Execute(parse, ct), ct));
    }

    private int Execute(ParseResult parse, CancellationToken ct)
    {
        var kind = OptimizerNames.TryParse(parse.GetValue(_optimizer)!, out var k)
            ? k : throw new UsageException($"--optimizer: unknown '{parse.GetValue(_optimizer)}' {NearestName.KnownList(parse.GetValue(_optimizer)!, OptimizerNames.All)}");
        // As with the method's options: one that this optimizer does not read is a mistake, not a no-op.
        if (parse.Gave(_momentum) && !OptimizerSettings.Reads(kind, nameof(OptimizerSettings.Momentum)))
            throw new UsageException($"--momentum: {OptimizerNames.Name(kind)} has no momentum (only sgd reads it)");
        var scheduleKind = LrSchedule.TryParse(parse.GetValue(_schedule)!, out var sk)
            ? sk : throw new UsageException($"--schedule: unknown '{parse.GetValue(_schedule)}' {NearestName.KnownList(parse.GetValue(_schedule)!, LrSchedule.Names)}");
        var optimizer = OptimizerSettings.Default(kind, parse.GetValue(_lr));
        optimizer = optimizer with
        {
            WeightDecay = parse.GetValue(_weightDecay) ?? optimizer.WeightDecay,
            Momentum = parse.GetValue(_momentum),
            OutputLrScale = parse.GetValue(_outputLrScale),
        };
        try { optimizer.Validate(); }
        catch (ArgumentException e) { throw SettingOptions.Usage(e); }

        int seed = parse.GetValue(_seed);
        if (seed < 0) throw new UsageException($"--seed must be >= 0, got {seed}");   // as a spec's seeds
        var setup = _training.Read(parse, [new CellSettings(optimizer, seed)], dataSeed: seed);
        // The cosine's horizon is the run's epochs, known once the training options are read.
        int warmup = parse.GetValue(_warmupEpochs);
        if (warmup > 0 && warmup >= setup.Spec.Epochs)   // as a spec's optimizer.warmupEpochs
            throw new UsageException($"--warmup-epochs must be fewer than --epochs ({setup.Spec.Epochs}), or no epoch trains at the full --lr (got {warmup})");
        if (LrSchedule.Of(scheduleKind, warmup, setup.Spec.Epochs) is { } schedule)
        {
            optimizer = optimizer with { Schedule = schedule };
            try { optimizer.Validate(); }
            catch (ArgumentException e) { throw SettingOptions.Usage(e); }
            setup = setup with { Spec = setup.Spec with { Cells = [new CellSettings(optimizer, seed)] } };
        }
        bool json = parse.GetValue(_json);
        if (OriginStall.Risks(setup.Spec.Estimator, optimizer, setup.Spec.Depth, setup.Spec.InitScale))   // stderr, --json or not
            Output.Info($"warning: --method {EstimatorNames.Name(setup.Spec.Estimator.Kind)} --per-layer, unnormalised, from --init-scale " +
                        $"{setup.Spec.InitScale!.Value.ToString("R", CultureInfo.InvariantCulture)} at depth {setup.Spec.Depth} under {OptimizerNames.Name(kind)}: " +
                        "the hidden layers' updates fall below the optimizer's epsilon and the cell may stay at chance; --normalise on, or one pass " +
                        "(no --per-layer), trains it");
        var given = parse.GetValue(_checkpoint);
        var keep = parse.GetValue(_keepEpochs) is { } epochs ? KeptEpochs.Parse(epochs, setup.Spec.Epochs) : new HashSet<int>();
        if (keep.Count > 0 && given is null)
            throw new UsageException("--keep-epochs needs --checkpoint FILE: the kept checkpoints go beside it");
        using var held = given is null ? null : CheckpointOption.Claim(given);   // one train per file
        var checkpoint = held?.Path;

        using var data = DatasetLoader.Load(setup.Spec.Data, setup.Device);
        using var trainer = new PackTrainer(setup.Spec, data, setup.Device);
        if (checkpoint is not null && File.Exists(checkpoint))
        {
            try { trainer.LoadCheckpoint(checkpoint); }
            catch (CheckpointCorruptException e) { throw CheckpointMismatch.InCliTerms(e); }
            if (!json) Output.Info($"resumed from {checkpoint} at epoch {trainer.EpochsCompleted}");
            if (trainer.NumericsChange is { } change) Output.Info("note: " + change.Describe(checkpoint));   // stderr, --json or not
            // Said on stderr even with --json: an empty stdout would otherwise look like a silent failure.
            if (trainer.IsFinished)
                Output.Info($"{checkpoint} " + (trainer.EpochsCompleted >= setup.Spec.Epochs
                    ? $"is already at epoch {trainer.EpochsCompleted} (--epochs {setup.Spec.Epochs})" : "holds a cell that diverged")
                    + ": nothing to train");
        }
        if (checkpoint is not null && keep.Contains(0) && trainer.EpochsCompleted == 0) Keep(trainer, checkpoint, 0, json);
        if (checkpoint is not null && keep.Where(e => e <= trainer.EpochsCompleted && !File.Exists(KeptEpochs.PathFor(checkpoint, e))).ToList() is { Count: > 0 } gone)
            Output.Info($"note: --keep-epochs {string.Join(",", gone)}: {checkpoint} resumes after epoch {trainer.EpochsCompleted}, so they cannot be kept now");
        var lines = new EpochLines(json, optimizer.Schedule is null ? null : optimizer);
        if (!json && !trainer.IsFinished) Output.Info(lines.Header(setup.Spec, data));   // no header over no rows
        try
        {
            while (!trainer.IsFinished)
            {
                var record = trainer.RunEpoch(ct, rollBack: false)[0];   // a cancel ends the command: nothing to roll back for
                if (record is null) break;
                Output.Line(lines.Format(record));
                if (checkpoint is not null) trainer.SaveCheckpoint(checkpoint);
                if (checkpoint is not null && keep.Contains(record.Epoch)) Keep(trainer, checkpoint, record.Epoch, json);
                if (record.Diverged) break;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Said before "cancelled" (exit 1): what the interrupted run left behind.
            Output.Info(checkpoint is null ? "interrupted: nothing is kept (give --checkpoint FILE to be able to resume a train)"
                : File.Exists(checkpoint) ? $"interrupted: running the same command again resumes from {checkpoint} (saved after each epoch)"
                : $"interrupted before its first epoch ended: nothing is kept in {checkpoint} yet, and running the same command again starts over");
            throw;
        }
        return ExitCodes.Success;
    }

    /// <summary>Writes the trainer's state a second time, to the epoch's own file (atomically, as every checkpoint).</summary>
    private static void Keep(PackTrainer trainer, string checkpoint, int epoch, bool json)
    {
        var path = KeptEpochs.PathFor(checkpoint, epoch);
        trainer.SaveCheckpoint(path);
        if (!json) Output.Info($"kept epoch {epoch}: {path}");
    }
}
