using ExperimentCluster.Contracts;
using ExperimentCluster.SweepModel;
using ExperimentCluster.Tuning;
using Microsoft.Extensions.Logging;

namespace ExperimentCluster.Grains;

/// <summary>
/// Changing a running sweep. The edit is checked by <see cref="SweepEdit"/> (the file it makes passes every check a
/// submitted file does) and here against the sweep's state (running, its budget not below the runs it has made); then the
/// edited file and one event per change are stored together, so a restart or a lost silo reloads the sweep as edited.
/// Runs already made keep their configuration: the strategy sees the new space and the whole history, including trials
/// outside the new space, which stay in the history and are listed as outside it.
/// </summary>
public sealed partial class SweepGrain
{
    /// <summary>The sweep file as it stands: the submitted one, or the last edit's.</summary>
    private string CurrentJson => State.EditedJson ?? State.SweepJson!;

    public async Task<SweepEditResult> EditAsync(string editJson)
    {
        if (!State.Exists)
            return new SweepEditResult(null, null, $"id: no sweep '{Id}'");
        if (Refusal() is { } refused)
            return Refused(refused);
        var basis = CurrentJson;
        EditedSweep edited;
        try
        {
            edited = SweepEdit.Apply(basis, editJson);
            // New listed values and range ends must train on this silo's data, as a submitted file's must; off the grain's turn.
            await Task.Run(() => edited.Definition.CheckData(files));
        }
        catch (SweepException e)
        {
            return Refused(e.Message);
        }
        catch (Exception e) when (e is TuningException or ArgumentException or InvalidOperationException or IOException or FormatException or OverflowException)
        {
            // As for a submission: these types do not cross to the caller, their text does.
            logger.LogWarning("Sweep {Sweep}: an edit could not be checked: {Message}", Id, e.Message);
            return Refused(e is TuningException t ? $"{t.Field}: {t.Reason}" : "$: " + e.Message);
        }
        // Checked again after the await: the sweep may have ended, or another edit landed, meanwhile.
        if (Refusal() is { } late)
            return Refused(late);
        if (basis != CurrentJson)
            return Refused("$: another edit changed the sweep meanwhile; look at it again and retry");

        var budget = EditedBudget(edited.Definition, edited.Json);
        var made = State.Runs.Count(r => r.Kind is null);
        if (budget < made)
        {
            var path = edited.Changes.FirstOrDefault(c => c.Path is "max_runs")?.Path
                ?? edited.Changes.FirstOrDefault(c => c.Path is "search.trials")?.Path
                ?? edited.Changes[0].Path;
            return Refused($"{path}: the sweep would have a budget of {budget} runs, below the {made} it has started already (seeds of a started configuration included)");
        }

        var number = State.Edits.Count == 0 ? 1 : State.Edits[^1].Edit + 1;
        var at = DateTimeOffset.UtcNow;
        State.Edits.AddRange(edited.Changes.Select(c => new SweepEditEvent(number, at, c.Path, c.Old, c.New, State.Runs.Count)));
        State.EditedJson = edited.Json;
        Load(edited.Definition);
        State.PlannedRuns = _definition!.MaxRuns;
        await Writes.PersistAsync();
        logger.LogInformation("Sweep {Sweep}: edit {Number} changed {Paths}", Id, number, string.Join(", ", edited.Changes.Select(c => c.Path)));
        // More room (a larger budget or concurrency) fills now; a budget reached ends the sweep once its runs end.
        await PumpAsync();
        return new SweepEditResult(SweepViews.Sweep(Id, State), EditLog(), null);
    }

    public Task<SweepEditLog?> GetEditsAsync() => Task.FromResult(State.Exists ? EditLog() : null);

    // A paused sweep takes edits too: pause, change, resume is how a user steers a sweep without runs starting in between.
    private string? Refusal() => State.Status is SweepStatus.Running or SweepStatus.Paused
        ? null
        : $"status: the sweep is {State.Status.ToWord()}; only a running or paused sweep can be edited";

    private static SweepEditResult Refused(string error) => new(null, null, error);

    private SweepEditLog EditLog() => new([.. State.Edits], OutsideRuns(_definition?.Space), CurrentJson);

    /// <summary>The training runs whose configuration the current space does not contain (none when the sweep did not load).</summary>
    private List<int> OutsideRuns(SearchSpace? space) => space is null
        ? []
        : State.Runs.Where(r => r.Kind is null && !space.Contains(WithoutSeed(r.Config))).Select(r => r.Number).ToList();

    private static Dictionary<string, string> WithoutSeed(Dictionary<string, string> config) =>
        config.Where(kv => kv.Key != SweepDefinition.SeedKey).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    /// <summary>The definition with the budget the sweep runs to after its edits (unchanged before any).</summary>
    private SweepDefinition WithEditedBudget(SweepDefinition definition) =>
        State.EditedJson is null ? definition : definition with { MaxRuns = EditedBudget(definition, State.EditedJson) };

    /// <summary>
    /// A budget the file sets (<c>max_runs</c>) counts every run; a plan the search makes from the space (the trial count, a
    /// grid's size) counts the runs inside the space, so the runs an edit left outside it come on top of that plan. The
    /// count of runs outside only changes with an edit: every run made since is inside.
    /// </summary>
    private int EditedBudget(SweepDefinition definition, string json)
    {
        var outside = OutsideRuns(definition.Space).Count;
        var planned = (long)definition.MaxRuns + outside;
        return (int)Math.Min(planned, SweepEdit.RunBudget(json) ?? int.MaxValue);
    }
}
