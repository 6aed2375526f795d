using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Cli.Output;
using ExperimentCluster.Grains;
using ExperimentCluster.Training;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// `excl train [--spec FILE] [--dataset digits] [--layers 32] [--lr 0.1] ... [--json]`: one run, in this process,
/// with a line per epoch. Every trainer option is an option here (see <see cref="TrainingOptions"/>). A diverged run
/// is a result, not an error: it exits 0 and says so; Ctrl-C stops between steps and exits 130.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var training = new TrainingOptions();
        var json = CliOptions.Flag("--json", "one JSON object per epoch, then a summary");
        var saveModel = CliOptions.Text("--save-model", "write the trained network to this JSON file (as `excl model` writes a run's)", "none", "file");
        var command = new Command("train", "trains one model in this process, a line per epoch") { json, saveModel };
        training.AddTo(command);
        command.SetAction(parse => RunAsync(training.Collect(parse), parse.GetValue(json), parse.GetValue(saveModel)));
        return command;
    }

    public static async Task<int> RunAsync(JsonObject options, bool json, string? saveModel = null)
    {
        var spec = TrainingOptions.Parse(options);
        // Checked before training, not after: a refusal then would throw the trained model away.
        if (saveModel is not null)
            NewPath.CheckFile(saveModel, "--save-model");
        Trainer trainer;
        try
        {
            trainer = Trainer.Create(spec, TrainingOptions.LocalFiles(spec));
        }
        catch (SpecException e)
        {
            throw TrainingOptions.ToCli(e);
        }
        using var interrupt = new Interrupt();
        var clock = Stopwatch.StartNew();
        var epochs = new List<EpochMetrics>();
        if (!json) Console.WriteLine(Header(spec));
        while (trainer.Status == TrainingStatus.Running)
        {
            try
            {
                epochs.Add(trainer.TrainEpoch(interrupt.Token));
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"excl train: interrupted during epoch {trainer.EpochsDone + 1}");
                return 130;
            }
            Console.WriteLine(json ? EpochJson(epochs[^1]) : EpochRow(epochs[^1]));
        }
        // The summary's figures are the model's: with patience, its best epoch's.
        var model = epochs.Find(m => m.Epoch == trainer.ModelEpoch) ?? epochs[^1];
        Console.WriteLine(json ? SummaryJson(trainer, epochs[^1], model, clock.Elapsed) : SummaryText(trainer, epochs[^1], model, clock.Elapsed));
        return saveModel is null ? 0 : await SaveModelAsync(trainer, saveModel, json);
    }

    /// <summary>A diverged run's weights are no model: nothing is written, and the exit code says the file is not there.</summary>
    private static async Task<int> SaveModelAsync(Trainer trainer, string path, bool json)
    {
        if (trainer.Divergence is { } d)
        {
            Console.Error.WriteLine($"excl train: --save-model: nothing written to {path}: the run diverged at epoch {d.Epoch}, and its weights are no model to use");
            return 1;
        }
        await File.WriteAllBytesAsync(path, ModelFile.Bytes(trainer.Model()));
        // With --json, standard output stays JSON lines.
        (json ? Console.Error : Console.Out).WriteLine(ModelFile.Wrote(path, "the network", trainer.ModelEpoch));
        return 0;
    }

    private static string Header(TrainingSpec spec) =>
        $"{"epoch",5}  {"train_loss",11}  {"val_loss",11}  {"val_acc",8}  {"lr",10}  {"seconds",8}"
        + $"   ({spec.Dataset}, {string.Join("-", spec.HiddenWidths().Select(w => w.ToString(CultureInfo.InvariantCulture)).DefaultIfEmpty("linear"))}, {spec.Activation}, {spec.Optimizer})";

    private static string EpochRow(EpochMetrics m) => string.Create(CultureInfo.InvariantCulture,
        $"{m.Epoch,5}  {Fixed(m.TrainLoss),11}  {Fixed(m.ValLoss),11}  {(m.ValAccuracy is { } a ? a.ToString("F4", CultureInfo.InvariantCulture) : "-"),8}  {m.LearningRate,10:G4}  {m.Seconds,8:F3}");

    private static string Fixed(double value) => double.IsFinite(value) ? value.ToString("F5", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    internal static string EpochJson(EpochMetrics m) =>
        ExclJson.Line(new Contracts.Json.EpochJson(m.Epoch, m.TrainLoss, m.ValLoss, m.ValAccuracy, m.LearningRate, m.Seconds, m.Steps));

    private static string SummaryJson(Trainer trainer, EpochMetrics last, EpochMetrics model, TimeSpan elapsed) => ExclJson.Line(new TrainSummaryLine(
        trainer.Status == TrainingStatus.Diverged ? "diverged" : "completed",
        trainer.Divergence?.Epoch, trainer.Divergence?.Step, trainer.Divergence?.Reason,
        trainer.EpochsDone, last.Steps, model.TrainLoss, model.ValLoss, model.ValAccuracy, elapsed.TotalSeconds,
        model.Epoch != last.Epoch ? model.Epoch : null));

    private static string SummaryText(Trainer trainer, EpochMetrics last, EpochMetrics model, TimeSpan elapsed)
    {
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"train_loss {Fixed(model.TrainLoss)}, val_loss {Fixed(model.ValLoss)}{(model.ValAccuracy is { } a ? $", val_accuracy {a:F4}" : "")}, {elapsed.TotalSeconds:F2} s");
        return trainer.Divergence is { } d
            ? string.Create(CultureInfo.InvariantCulture, $"diverged at epoch {d.Epoch}, step {d.Step}: {d.Reason} ({figures})")
            : string.Create(CultureInfo.InvariantCulture, $"completed {trainer.EpochsDone} epochs, {last.Steps} steps: {figures}")
                + (trainer.ModelNote is { } note ? $"; {note}" : "");
    }
}
