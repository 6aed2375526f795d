using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.SweepModel;

/// <summary>One change an edit made: where in the sweep file, and the value there before and after (JSON text; null where
/// there was none).</summary>
public sealed record SweepChange(string Path, string? Old, string? New);

/// <summary>An edit applied: the sweep file it makes, that file checked exactly as a submitted one, and what changed.</summary>
public sealed record EditedSweep(string Json, SweepDefinition Definition, IReadOnlyList<SweepChange> Changes);

/// <summary>
/// A change to a running sweep (`excl edit`, PATCH /api/sweeps/{id}, the page's form), parsed and checked in this one
/// place. An edit is a document that names the parts of the sweep file it changes, under the file's own paths, so that an
/// error names the same path in both:
/// <code>
/// { "max_runs": 40, "concurrency": 4,
///   "search": { "trials": 40, "space": { "learning_rate": { "range": [1e-4, 0.1] },
///                                        "batch_size": { "add": [256], "remove": [32] } } },
///   "early_stopping": { "settings": { "warmup_epochs": 2 } } }
/// </code>
/// A range keeps its kind (log_uniform stays log_uniform, an int range keeps whole-number ends); a list gains or loses
/// values; a stopping setting set to null goes back to the rule's default. The edited file is then parsed by
/// <see cref="SweepDefinition.Parse"/>, so the edited sweep passes every check a submitted one does, and the strategy
/// says whether it can go on with the new space (<see cref="ISearchStrategy.ValidateEdit"/>). What depends on the
/// sweep's state (its status, the runs it has started) is checked by the sweep itself.
/// </summary>
public static class SweepEdit
{
    private static readonly string[] TopKeys = ["max_runs", "concurrency", TimeBudget.Key, "search", "early_stopping"];
    private static readonly string[] SearchKeys = ["trials", "space"];
    private static readonly string[] StoppingKeys = ["settings"];
    private static readonly string[] ParameterKeys = ["range", "add", "remove"];
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false };

    /// <summary>Applies <paramref name="editJson"/> to the sweep file <paramref name="sweepJson"/> (both JSON, comments
    /// allowed). Throws <see cref="SweepException"/> naming the path; nothing is changed then.</summary>
    public static EditedSweep Apply(string sweepJson, string editJson)
    {
        var before = SweepDefinition.Parse(sweepJson);
        var edit = ParseEdit(editJson);
        var root = (JsonObject)JsonNode.Parse(sweepJson, documentOptions: Lenient)!;
        var changes = new List<SweepChange>();

        if (edit["search"] is JsonObject search)
        {
            if (search["space"] is JsonObject space)
                EditSpace(root, before, space, changes);
            if (search.ContainsKey("trials"))
                Set(root, "search", "trials", search["trials"], "search.trials", changes);
        }
        if (edit["early_stopping"] is JsonObject stopping && stopping["settings"] is JsonObject settings)
        {
            foreach (var (key, value) in settings)
                Set(root, "early_stopping.settings", key, value, $"early_stopping.settings.{key}", changes);
        }
        if (edit.ContainsKey("concurrency"))
            Set(root, "", "concurrency", edit["concurrency"], "concurrency", changes);
        if (edit.ContainsKey("max_runs"))
            EditBudget(root, before, edit["max_runs"], changes);
        // null removes the limit; a budget below the time already run stops new starts at once (the runs training finish).
        if (edit.ContainsKey(TimeBudget.Key))
            Set(root, "", TimeBudget.Key, edit[TimeBudget.Key], TimeBudget.Key, changes);

        changes.RemoveAll(c => c.Old == c.New);
        if (changes.Count == 0)
            throw new SweepException("$", "the edit changes nothing: every value it sets is the sweep's already");
        var json = root.ToJsonString();
        var after = SweepDefinition.Parse(json);
        try
        {
            after.CreateStrategy().ValidateEdit(before.Space, after.Space);
        }
        catch (TuningException e)
        {
            throw new SweepException(e.Field.StartsWith("search.", StringComparison.Ordinal) ? e.Field : "search.space", e.Reason);
        }
        return new EditedSweep(json, after, changes);
    }

    /// <summary>The file's own budget (<c>max_runs</c>), or null when the search's plan is the budget.</summary>
    public static int? RunBudget(string sweepJson) =>
        JsonNode.Parse(sweepJson, documentOptions: Lenient)?["max_runs"] is JsonValue v && v.TryGetValue<double>(out var d) ? (int)d : null;

    private static JsonObject ParseEdit(string editJson)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(editJson, documentOptions: Lenient);
        }
        catch (JsonException e)
        {
            throw new SweepException("$", "the edit is not valid JSON: " + e.Message);
        }
        if (node is not JsonObject edit)
            throw new SweepException("$", "an edit is an object of the settings it changes (max_runs, concurrency, time_budget, search, early_stopping)");
        KnownKeys.RejectUnknown(edit, TopKeys, "", "not something an edit changes");
        if (edit["search"] is { } search)
        {
            KnownKeys.RejectUnknown(search as JsonObject ?? throw new SweepException("search", "must be an object"), SearchKeys, "search.", "not something an edit changes");
            if (search["space"] is { } space && space is not JsonObject)
                throw new SweepException("search.space", "must be an object: parameter name -> { \"range\": [low, high] } or { \"add\": [...], \"remove\": [...] }");
        }
        if (edit["early_stopping"] is { } stopping)
        {
            KnownKeys.RejectUnknown(stopping as JsonObject ?? throw new SweepException("early_stopping", "must be an object"), StoppingKeys, "early_stopping.", "not something an edit changes");
            if (stopping["settings"] is { } settings && settings is not JsonObject)
                throw new SweepException("early_stopping.settings", "must be an object of the rule's settings");
        }
        return edit;
    }

    private static void EditSpace(JsonObject root, SweepDefinition before, JsonObject space, List<SweepChange> changes)
    {
        var fileSpace = (JsonObject)root["search"]!["space"]!;
        foreach (var (name, body) in space)
        {
            var path = $"search.space.{name}";
            if (before.Space.Find(name) is not { } parameter)
            {
                throw new SweepException(path, before.Space.Parameters.Count == 0
                    ? "unknown parameter: the sweep searches none"
                    : "unknown parameter" + Spelling.Hint(name, before.Space.Parameters.Select(p => p.Name)) + "; the sweep searches: " + string.Join(", ", before.Space.Parameters.Select(p => p.Name)));
            }
            if (body is not JsonObject o || o.Count == 0)
                throw new SweepException(path, "must be an object with \"range\": [low, high], or \"add\" and/or \"remove\": [values]");
            KnownKeys.RejectUnknown(o, ParameterKeys, path + ".", "not something an edit changes");
            if (o.ContainsKey("range") && o.Count > 1)
                throw new SweepException(path, "a range is changed alone: \"range\" with \"add\" or \"remove\" does not mean anything");
            var kind = ((JsonObject)fileSpace[name]!).First().Key;
            var oldText = fileSpace[name]!.ToJsonString();
            var replacement = o.ContainsKey("range")
                ? Range(parameter, kind, o["range"], path + ".range")
                : Values(parameter, o["add"], o["remove"], path);
            fileSpace[name] = replacement;
            changes.Add(new SweepChange(path, oldText, replacement.ToJsonString()));
        }
    }

    /// <summary>The new range in the domain's own kind; the file's parser then checks its ends as it checks a submitted range.</summary>
    private static JsonObject Range(Parameter parameter, string kind, JsonNode? range, string path)
    {
        if (parameter.Domain is ValuesDomain)
            throw new SweepException(path, $"{parameter.Name} is a list of values, not a range; add or remove values instead");
        if (range is not JsonArray { Count: 2 } ends || ends.Any(e => e is not JsonValue v || !v.TryGetValue<double>(out _)))
            throw new SweepException(path, "must be a list of two numbers: [low, high]");
        if (parameter.Domain is IntUniformDomain && ends.Any(e => e!.GetValue<double>() is var x && x != Math.Floor(x)))
            throw new SweepException(path, $"{parameter.Name} is an integer range ({kind}): its ends are whole numbers");
        return new JsonObject { [kind] = ends.DeepClone() };
    }

    private static JsonObject Values(Parameter parameter, JsonNode? add, JsonNode? remove, string path)
    {
        if (parameter.Domain is not ValuesDomain domain)
            throw new SweepException(path + (add is not null ? ".add" : ".remove"), $"{parameter.Name} is a range, not a list of values; change its range instead");
        var values = domain.Values.ToList();
        foreach (var (value, i) in Items(remove, path + ".remove"))
        {
            var at = new ValuesDomain(values).IndexOf(value);
            if (at < 0)
                throw new SweepException($"{path}.remove[{i}]", $"{value} is not a listed value of {parameter.Name}");
            values.RemoveAt(at);
        }
        foreach (var (value, i) in Items(add, path + ".add"))
        {
            if (values.Count > 0 && new ValuesDomain(values).IndexOf(value) >= 0)
                throw new SweepException($"{path}.add[{i}]", $"{value} is listed already");
            values.Add(value);
        }
        if (values.Count == 0)
            throw new SweepException(path + ".remove", $"would leave {parameter.Name} with no values");
        return new JsonObject { ["values"] = new JsonArray(values.Select(v => JsonNode.Parse(v)).ToArray()) };
    }

    private static IEnumerable<(string Value, int Index)> Items(JsonNode? node, string path)
    {
        if (node is null)
            yield break;
        if (node is not JsonArray { Count: > 0 } list)
            throw new SweepException(path, "must be a non-empty list of values");
        for (var i = 0; i < list.Count; i++)
            yield return (list[i]?.ToJsonString() ?? throw new SweepException($"{path}[{i}]", "null is not a value"), i);
    }

    /// <summary>
    /// <c>max_runs</c> is the sweep's budget of runs. Where the search's plan is a count of trials (<c>search.trials</c>) that
    /// would stop short of a raised budget, that count is raised with it, so that raising the budget always means more runs;
    /// a search that plans from its space (a grid) cannot be given more runs than its space has, and says so.
    /// </summary>
    private static void EditBudget(JsonObject root, SweepDefinition before, JsonNode? value, List<SweepChange> changes)
    {
        Set(root, "", "max_runs", value, "max_runs", changes);
        if (value is not JsonValue v || !v.TryGetValue<double>(out var budget) || budget != Math.Floor(budget) || budget < 1 || budget > int.MaxValue)
            return; // The file's parser says what is wrong with it.
        var search = root["search"] as JsonObject;
        var trials = search?["trials"] is JsonValue t && t.TryGetValue<double>(out var n) ? (int?)n : null;
        var space = SweepDefinition.Parse(root.ToJsonString()).Space;
        var seeds = before.Seeds.Count;
        var strategy = before.CreateStrategy();
        var planned = strategy.PlannedTrials(space, trials) * seeds;
        if (planned >= budget)
            return;
        if (trials is not null)
        {
            var raised = (int)Math.Ceiling(budget / seeds);
            if (strategy.PlannedTrials(space, raised) * seeds >= budget)
            {
                Set(root, "search", "trials", raised, "search.trials", changes);
                return;
            }
        }
        throw new SweepException("max_runs", string.Create(CultureInfo.InvariantCulture,
            $"{budget:0} is more runs than the search plans for this space ({planned:0}); widen the space (add values) to run more"));
    }

    /// <summary>Sets one value of the file (the parent object made if missing; null removes the key) and records the change.</summary>
    private static void Set(JsonObject root, string parentPath, string key, JsonNode? value, string path, List<SweepChange> changes)
    {
        var parent = root;
        foreach (var part in parentPath.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (parent[part] is not JsonObject child)
                parent[part] = child = new JsonObject();
            parent = child;
        }
        var old = parent[key]?.ToJsonString();
        if (value is null)
            parent.Remove(key);
        else
            parent[key] = value.DeepClone();
        // Set twice (search.trials raised with max_runs): one change, from the file's value.
        var earlier = changes.FindIndex(c => c.Path == path);
        if (earlier >= 0)
        {
            old = changes[earlier].Old;
            changes.RemoveAt(earlier);
        }
        changes.Add(new SweepChange(path, old, value?.ToJsonString()));
    }
}
