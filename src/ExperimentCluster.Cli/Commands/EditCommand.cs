using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Contracts;
using ExperimentCluster.Contracts.Json;
using ExperimentCluster.SweepModel;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// `excl edit ID [--max-runs N] [--trials N] [--concurrency N] [--range NAME=LOW:HIGH] [--add-values NAME=V,...]
/// [--remove-values NAME=V,...] [--stopping KEY=VALUE] [--file EDIT]`: changes a running or paused sweep. One option per kind of
/// change, each repeatable, so that a command line reads as what it does (`--range learning_rate=1e-4:1e-1`); `--file`
/// takes the same document as PATCH /api/sweeps/{id} (JSON or YAML) for many changes or scripts, and the options apply on
/// top of it. The options only build that document: the sweep checks it (<see cref="SweepEdit"/>), and its error names
/// the path in the sweep file.
/// </summary>
public static class EditCommand
{
    public static Command Create(ConnectionOptions connection)
    {
        var id = CliOptions.Positional("ID", "the running sweep's id");
        var maxRuns = CliOptions.Int("--max-runs", "the sweep's budget of runs (max_runs; search.trials is raised with it where it would stop short)", "unchanged");
        var trials = CliOptions.Int("--trials", "the search's count of trials (search.trials)", "unchanged");
        var concurrency = CliOptions.Int("--concurrency", "the most runs at once", "unchanged");
        var timeBudget = CliOptions.Text("--time-budget", "how long the sweep may train before it starts no new run (time_budget: 45s, 90m, 1.5h, 2d; none removes it)", "unchanged", "duration");
        var range = Repeated("--range", "a range's new ends, in its own kind (log_uniform stays log_uniform)", "name=low:high");
        var add = Repeated("--add-values", "values to add to a listed parameter (JSON values, or words for strings)", "name=v1,v2");
        var remove = Repeated("--remove-values", "values to remove from a listed parameter", "name=v1,v2");
        var stopping = Repeated("--stopping", "a setting of the early-stopping rule (early_stopping.settings); KEY=null restores its default", "key=value");
        var file = CliOptions.Text("--file", "an edit document, JSON or YAML (the body of PATCH /api/sweeps/ID); the options apply on top", "none", "file");
        var json = CliOptions.Flag("--json", "print the sweep's edits as one JSON object");
        var command = new Command("edit", "changes a running or paused sweep: budget, concurrency, a range, listed values, stopping settings")
        {
            id, maxRuns, trials, concurrency, timeBudget, range, add, remove, stopping, file, json,
        };
        connection.AddTo(command, trains: false);
        command.SetAction(async parse =>
        {
            var edit = Document(parse.GetValue(file));
            Put(edit, parse.GetValue(maxRuns), "max_runs");
            Put(edit, parse.GetValue(trials), "search", "trials");
            Put(edit, parse.GetValue(concurrency), "concurrency");
            if (parse.GetValue(timeBudget) is { } budget)
                edit[TimeBudget.Key] = budget == "none" ? null : budget;
            foreach (var (name, text) in Pairs(parse.GetValue(range), "--range"))
                Parameter(edit, name)["range"] = Range(text, name);
            foreach (var (name, text) in Pairs(parse.GetValue(add), "--add-values"))
                Parameter(edit, name)["add"] = new JsonArray(ValueList(text).ToArray());
            foreach (var (name, text) in Pairs(parse.GetValue(remove), "--remove-values"))
                Parameter(edit, name)["remove"] = new JsonArray(ValueList(text).ToArray());
            foreach (var (key, text) in Pairs(parse.GetValue(stopping), "--stopping"))
                Child(Child(edit, "early_stopping"), "settings")[key] = Value(text);
            if (edit.Count == 0)
                throw new CliException("edit: nothing to change; give --max-runs, --concurrency, --time-budget, --range, --add-values, --remove-values, --stopping or --file");
            return await RunAsync(connection.Read(parse), parse.GetValue(id)!, edit.ToJsonString(), parse.GetValue(json));
        });
        return command;
    }

    private static async Task<int> RunAsync(ConnectionSettings settings, string id, string editJson, bool json)
    {
        await using var connection = await Connection.OpenAsync(settings, trains: false, CancellationToken.None);
        if (await connection.Grains.Sweep(id).GetState() is null)
            throw await UnknownSweep.ErrorAsync(connection.Grains, id);
        var result = await connection.Grains.Sweep(id).EditAsync(editJson);
        if (result.Error is { } error)
            throw new CliException($"sweep '{id}': {error}");
        // An interrupted sweep in a data folder nothing trains: the edit is stored, and the runs it makes room for start
        // when the sweep is resumed.
        if (connection.Embedded && result.Sweep!.Status == SweepStatus.Running)
            Console.Error.WriteLine($"nothing is training sweep '{TerminalText.Plain(id)}' now; the edit applies when you continue it with: {TerminalText.Plain(connection.ResumeCommand(id))}");
        if (json)
        {
            Console.WriteLine(ExclJson.Line(result.Edits!));
            return 0;
        }
        var last = result.Edits!.Events[^1].Edit;
        foreach (var e in result.Edits.Events.Where(e => e.Edit == last))
            Console.WriteLine(EditPrinter.ChangeLine(e));
        // Runs an edit left outside the space come on top of a plan made from the space (search.trials, a grid): said,
        // or a budget raised to 400 trials read "450 runs planned".
        var outside = result.Edits.OutsideRuns.Count;
        var planned = result.Sweep!.PlannedRuns;
        Console.WriteLine($"{TerminalText.Plain(id)}: {result.Sweep.Status.ToWord()}, {planned} runs planned"
            + (outside > 0 ? $": {outside} made before an edit, outside the current space, and {planned - outside} in it" : ""));
        return 0;
    }

    private static Option<string[]> Repeated(string name, string description, string helpName) =>
        CliOptions.Valued(new Option<string[]>(name) { Description = description + " (repeatable)", HelpName = helpName, Arity = ArgumentArity.ZeroOrMore });

    private static JsonObject Document(string? path)
    {
        if (path is null)
            return [];
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--file: cannot read {path}: {e.Message}");
        }
        try
        {
            if (SweepYaml.IsYamlPath(path))
                text = SweepYaml.ToJson(text);
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new CliException($"--file: {path} is not an object of changes");
        }
        catch (SweepException e)
        {
            throw new CliException($"--file: {path}: {e.Message}");
        }
        catch (JsonException e)
        {
            throw new CliException($"--file: {path} is not valid JSON: {e.Message}");
        }
    }

    private static void Put(JsonObject edit, int? value, params string[] path)
    {
        if (value is not { } v)
            return;
        var parent = path[..^1].Aggregate(edit, Child);
        parent[path[^1]] = v;
    }

    private static JsonObject Child(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject child)
            return child;
        var made = new JsonObject();
        parent[key] = made;
        return made;
    }

    private static JsonObject Parameter(JsonObject edit, string name) => Child(Child(Child(edit, "search"), "space"), name);

    private static IEnumerable<(string Name, string Text)> Pairs(string[]? values, string option)
    {
        foreach (var value in values ?? [])
        {
            var at = value.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
                throw new CliException($"{option}: '{value}' is not NAME=VALUE");
            yield return (value[..at], value[(at + 1)..]);
        }
    }

    private static JsonArray Range(string text, string name)
    {
        var parts = text.Split(':');
        if (parts.Length != 2 || !TryNumber(parts[0], out var low) || !TryNumber(parts[1], out var high))
            throw new CliException($"--range: '{name}={text}' is not NAME=LOW:HIGH with two numbers");
        return new JsonArray(low, high);
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>Comma-separated values, a comma inside brackets or quotes belonging to its value (<c>[64,64],[128]</c>).</summary>
    private static IEnumerable<JsonNode?> ValueList(string text)
    {
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ',' && depth == 0 && !quoted))
            {
                yield return Value(text[start..i].Trim());
                start = i + 1;
                continue;
            }
            if (text[i] == '"')
                quoted = !quoted;
            else if (!quoted && text[i] is '[' or '{')
                depth++;
            else if (!quoted && text[i] is ']' or '}')
                depth--;
        }
    }

    /// <summary>A JSON value as typed (0.1, true, [64,64], "relu"), else the word as a string (relu).</summary>
    private static JsonNode? Value(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
