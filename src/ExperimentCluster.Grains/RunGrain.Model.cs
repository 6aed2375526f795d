using System.Text.Json;
using ExperimentCluster.CommandTrials;
using ExperimentCluster.Contracts;
using ExperimentCluster.Training;

namespace ExperimentCluster.Grains;

/// <summary>What a user takes away from a run: the model its stored checkpoint holds (<see cref="RunModel"/>).</summary>
public sealed partial class RunGrain
{
    public async Task<RunModel?> GetModelAsync()
    {
        if (!State.Exists)
            return null;
        if (State.Kind is not null)
            return RunModel.Refused($"run {State.Number} is a {State.Kind} measurement, not a training run: it has no model");
        var checkpoint = await StoredCheckpointAsync();
        if (checkpoint is null)
            return RunModel.Refused(NoCheckpointReason());
        if (IsCommandTrial)
        {
            var (epoch, archive) = CheckpointBlob.Decode(checkpoint);
            return new RunModel(RunModelKind.Folder, epoch, archive, null);
        }
        var spec = _spec ?? TrainingSpecJson.ReadSettings(State.SpecJson);
        try
        {
            // Restoring reads the data (the scaling is fitted on it): off the grain's turn.
            var model = await Task.Run(() => Trainer.ExportModel(spec, checkpoint, files));
            model = model with { Sweep = State.SweepId, Run = State.Number, Config = State.Config };
            return new RunModel(RunModelKind.Network, model.Epoch, ModelFile.Bytes(model), null);
        }
        catch (SpecException e) when (e.Field is "dataset" or "split_file")
        {
            return RunModel.Refused($"run {State.Number}: its model needs its data again (the scaling is fitted on the training rows), "
                + $"and they cannot be read here: {e.Message} (a silo reads them under its data roots; a data folder's excl command, "
                + "from the folder it runs in: run it where the sweep ran)", needsData: true);
        }
        catch (Exception e) when (e is InvalidDataException or SpecException)
        {
            return RunModel.Refused($"run {State.Number}: {e.Message}");
        }
    }

    /// <summary>The bytes the stored state points at. The key is read again if they went meanwhile: a newer checkpoint was
    /// written and the older one deleted between reading the key and reading the bytes.</summary>
    private async Task<byte[]?> StoredCheckpointAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            if (State.Checkpoint is { } legacy)
                return legacy;
            if (State.CheckpointKey is not { } key)
                return null;
            if (await checkpoints.GetAsync(key) is { } bytes)
                return bytes;
            if (attempt == 2 || State.CheckpointKey == key)
                throw new InvalidOperationException($"the run's checkpoint {key} is missing from the checkpoint store");
        }
    }

    private bool IsCommandTrial
    {
        get
        {
            try
            {
                return (_command ??= CommandSpec.FromRunSpec(State.SpecJson)) is not null;
            }
            catch (Exception e) when (e is CommandSpecException or JsonException)
            {
                return true; // a command trial whose spec failed, which never ran (a built-in spec is not read as one)
            }
        }
    }

    private string NoCheckpointReason()
    {
        var run = $"run {State.Number}";
        if (!State.Status.IsFinished())
            return $"{run} has stored no checkpoint yet (it is {State.Status.ToString().ToLowerInvariant()}); ask again once it has trained an epoch or two";
        var program = IsCommandTrial
            ? $" (a command trial's checkpoint is what its program writes to {{{Placeholders.CheckpointDir}}})"
            : "";
        return $"{run} kept no checkpoint{program}: a finished run keeps its checkpoint only as the sweep's keep_checkpoints says "
            + "(best, the default: only the best run's; all: every run's)";
    }
}
