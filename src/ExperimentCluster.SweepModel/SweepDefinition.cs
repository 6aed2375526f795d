using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExperimentCluster.CommandTrials;
using ExperimentCluster.Training;
using ExperimentCluster.Training.Data;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.SweepModel;

/// <summary>
/// A checked sweep file: the one model of the file that the CLI, the HTTP API and the grains share. <see cref="Parse"/>
/// checks everything that needs no data (schema, names, ranges, the plan); <see cref="CheckData"/> adds what needs the
/// data sets (batch sizes against training rows, CSV columns) where the runs train. Errors name the field by its path.
/// </summary>
public sealed partial record SweepDefinition(
    string Name,
    JsonObject Training,
    IReadOnlyList<int> Seeds,
    SearchSpace Space,
    string Strategy,
    IReadOnlyDictionary<string, JsonElement> StrategySettings,
    ulong SearchSeed,
    int? Trials,
    string Rule,
    IReadOnlyDictionary<string, JsonElement> RuleSettings,
    int Concurrency,
    int MaxRuns,
    int MaxEpochs,
    CommandSpec? Command = null)
{
    /// <summary>Above this many runs a grid must be allowed explicitly (`allow_large_grid: true`).</summary>
    public const int LargeGridLimit = 100_000;

    public const string SeedKey = "seed";

    /// <summary>C0, DEL and C1: what char.IsControl calls control characters, searched in one vectorized pass.</summary>
    private static readonly System.Buffers.SearchValues<char> ControlCharacters = System.Buffers.SearchValues.Create(
        Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c).ToArray());

    private static readonly string[] TopKeys = ["name", "training", "command", "seeds", "search", "early_stopping", "concurrency", "max_runs", "allow_large_grid", SweepWarmStart.Key, KeepCheckpointsSetting.Key, SweepModel.TimeBudget.Key, SweepModel.SplitPerSeed.Key, CrossValidation.Key];
    private static readonly string[] SearchKeys = ["strategy", "space", "trials", "seed", "settings"];
    private static readonly string[] StoppingKeys = ["rule", "settings"];
    private static readonly string[] DomainKinds = ["values", "uniform", "log_uniform", "int", "int_log"];

    /// <summary>A parameter's condition (<see cref="Condition"/>), beside its domain.</summary>
    private const string WhenKey = "when";

    /// <summary>How a parameter is written, for the errors of one written otherwise (`{ range: [...], log: true }`, as other tools write it).</summary>
    private const string DomainExample = " (a range: { \"log_uniform\": [0.0001, 1] }; a list: { \"values\": [16, 32] })";

    public ISearchStrategy CreateStrategy() => StrategyCatalog.Create(Strategy, StrategySettings);

    public IStoppingRule CreateRule() => StoppingRuleCatalog.Create(Rule, RuleSettings);

    /// <summary>What the runs' losses are, as the answer names them: a command sweep's metric (its value, not the negation
    /// a `mode: max` metric is ranked by), else the validation loss.</summary>
    public Objective Objective => Command is { } c && (c.Maximize || c.Metric != CommandSpec.DefaultMetric)
        ? new Objective(c.Metric, c.Maximize)
        : SplitPerSeed ? Objective.ValidationLoss with { SeedsNote = "each on its own validation rows" }
        : Folds is { } folds ? Objective.ValidationLoss with { SeedsNote = $"each validating on one of {folds} folds" }
        : Objective.ValidationLoss;

    /// <summary>The trainer settings of one run: the file's training block, the swept values, the seed (checked against the data).</summary>
    public TrainingSpec SpecFor(IReadOnlyDictionary<string, string> config, DataFiles? files = null) => TrainingSpecJson.Parse(SpecJsonFor(config), files);

    /// <summary>
    /// The checks that read the data sets: the base settings and every listed value (both ends of a range) must make a run
    /// the data can train. Slow for a large CSV, so it runs where the runs train and off a coordinator's turn; the error
    /// names the same paths as <see cref="Parse"/>. Every data file is read through <paramref name="files"/>, the silo's rule.
    /// </summary>
    public void CheckData(DataFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        // A command sweep's program reads its own data.
        if (Command is null)
            CheckCandidates(Training, Space, files);
    }

    /// <summary>The same as JSON, unvalidated: the run validates it (off the coordinator's single thread).</summary>
    public JsonObject SpecJsonFor(IReadOnlyDictionary<string, string> config)
    {
        // A command trial's values reach its program through the run's configuration (placeholders, environment, file).
        if (Command is not null)
            return new JsonObject { [CommandSpec.Key] = Command.ToJson() };
        var json = (JsonObject)Training.DeepClone();
        foreach (var (key, value) in config)
            json[key] = JsonNode.Parse(value);
        if (SplitPerSeed)
            SweepModel.SplitPerSeed.Apply(json, config);
        if (Folds is { } folds)
            CrossValidation.Apply(json, config, Seeds, folds);
        return json;
    }

    public static SweepDefinition Parse(string text)
    {
        SweepNesting.CheckJson(text);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
                AllowDuplicateProperties = false,
                MaxDepth = SweepLimits.MaxDepth + 1,
            });
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0);
            throw new SweepException(
                $"line {line + 1}, column {CharacterColumn(text, line, (int)(e.BytePositionInLine ?? 0)) + 1}",
                "not valid JSON: " + FirstSentence(e.Message));
        }
        if (root is not JsonObject top)
            throw new SweepException("$", "a sweep file is an object (a JSON object or a YAML mapping) of settings");
        KnownKeys.RejectUnknown(top, TopKeys, "", elsewhere: OtherToolsKeys.TopLevel);

        var name = OptionalString(top, "name", "") ?? "sweep";
        if (name.Length is 0 or > 200)
            throw new SweepException("name", "must be 1 to 200 characters");
        // A name is printed in terminals and on the page: an escape sequence in it would drive the terminal of whoever lists sweeps.
        if (name.AsSpan().IndexOfAny(ControlCharacters) is var at and >= 0)
            throw new SweepException("name", string.Create(CultureInfo.InvariantCulture, $"character {at + 1} is a control character (U+{(int)name[at]:X4}); a name is printable text"));

        var training = top["training"] switch
        {
            null => new JsonObject(),
            JsonObject o => (JsonObject)o.DeepClone(),
            _ => throw new SweepException("training", "must be an object of trainer settings"),
        };
        if (training.ContainsKey(SeedKey))
            throw new SweepException("training.seed", "set seeds with the top-level \"seeds\" (a count or a list)");

        var seeds = ParseSeeds(top["seeds"]);
        var search = top["search"] as JsonObject ?? (top["search"] is null ? new JsonObject() : throw new SweepException("search", "must be an object"));
        KnownKeys.RejectUnknown(search, SearchKeys, "search.");
        var strategy = OptionalString(search, "strategy", "search.") ?? "grid";
        var space = ParseSpace(search["space"]);
        if (!top.ContainsKey("command"))
            space = TrainerConditions(space);
        var trials = OptionalInt(search, "trials", "search.", 1, 1_000_000);
        var searchSeed = (ulong)(OptionalInt(search, "seed", "search.", 0, int.MaxValue) ?? 0);
        var strategySettings = Settings(search["settings"], "search.settings");

        var stopping = top["early_stopping"] as JsonObject ?? (top["early_stopping"] is null ? new JsonObject() : throw new SweepException("early_stopping", "must be an object"));
        KnownKeys.RejectUnknown(stopping, StoppingKeys, "early_stopping.");
        var rule = OptionalString(stopping, "rule", "early_stopping.") ?? "none";
        var ruleSettings = Settings(stopping["settings"], "early_stopping.settings");

        var concurrency = OptionalInt(top, "concurrency", "", 1, 10_000) ?? 8;
        var allowLarge = top["allow_large_grid"] switch
        {
            null => false,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            _ => throw new SweepException("allow_large_grid", "must be true or false"),
        };

        var command = ParseCommand(top, space);
        var splitPerSeed = SweepModel.SplitPerSeed.Parse(top, training, space);
        var folds = CrossValidation.Parse(top, training, space);
        if (folds is { } k)
            seeds = CrossValidation.Seeds(seeds, top.ContainsKey("seeds"), k);
        var maxEpochs = command?.Epochs ?? CheckCandidates(training, space, files: null).Epochs;

        double plannedTrials;
        try
        {
            var searcher = StrategyCatalog.Create(strategy, strategySettings);
            searcher.Validate(space);
            if (command is not null && searcher.MeasurementKinds.Count > 0)
                throw new SweepException("search.strategy", $"{strategy} measures with runs of the built-in trainer ({string.Join(", ", searcher.MeasurementKinds)}), which a command sweep does not have; use lr-decades, grid, random or tpe");
            plannedTrials = searcher.PlannedTrials(space, trials);
        }
        catch (TuningException e)
        {
            throw FromTuning(e, "search.strategy", "search.settings");
        }
        try
        {
            StoppingRuleCatalog.Create(rule, ruleSettings);
        }
        catch (TuningException e)
        {
            throw FromTuning(e, "early_stopping.rule", "early_stopping.settings");
        }

        // A plan the file did not size itself (a grid's size, a strategy's own plan) may be far larger than meant.
        var plannedRuns = plannedTrials * seeds.Count;
        if (trials is null && plannedRuns > LargeGridLimit && !allowLarge)
            throw new SweepException("search.space", string.Create(CultureInfo.InvariantCulture,
                $"the search plans {plannedRuns:0} runs ({plannedTrials:0} configurations x {seeds.Count} seeds), more than {LargeGridLimit}; set \"allow_large_grid\": true to run it anyway"));
        var budget = OptionalInt(top, "max_runs", "", 1, int.MaxValue);
        var maxRuns = (int)Math.Min(plannedRuns, budget ?? int.MaxValue);

        return new SweepDefinition(name, training, seeds, space, strategy, strategySettings, searchSeed, trials, rule, ruleSettings,
            concurrency, maxRuns, maxEpochs, command) { WarmStart = SweepWarmStart.Parse(top[SweepWarmStart.Key]), KeepCheckpoints = KeepCheckpointsSetting.Parse(top[KeepCheckpointsSetting.Key]),
            TimeBudget = SweepModel.TimeBudget.Parse(top[SweepModel.TimeBudget.Key]), SplitPerSeed = splitPerSeed, Folds = folds };
    }

    /// <summary>The `command` block (the user's program as the trial), or null for the built-in trainer's `training`.</summary>
    private static CommandSpec? ParseCommand(JsonObject top, SearchSpace space)
    {
        if (top["command"] is not { } node)
            return null;
        if (top.ContainsKey("training"))
            throw new SweepException("training", "a sweep trains either the built-in trainer (training) or your program (command), not both");
        CommandSpec command;
        try
        {
            command = CommandSpec.Parse(node, space.Parameters.Select(p => p.Name).ToList());
        }
        catch (CommandSpecException e)
        {
            throw new SweepException(e.Field.Length == 0 ? "command" : "command." + e.Field, e.Reason);
        }
        // A conditional parameter has no value where it is inactive, so an argument or a variable made of it would be
        // missing or empty there; the program reads it from EXCL_PARAMS (absent where inactive) instead.
        var conditional = space.Parameters.Where(p => p.When is not null).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var texts = command.Run.Select((text, i) => (Text: text, Field: $"command.run[{i}]")).Concat(command.Env.Select(kv => (Text: kv.Value, Field: $"command.env.{kv.Key}")));
        foreach (var (text, field) in texts)
        {
            if (Placeholders.Names(text, field).FirstOrDefault(conditional.Contains) is { } name)
                throw new SweepException(field, $"{{{name}}} is conditional (search.space.{name}.when) and has no value in the configurations that do not read it; read it from the EXCL_PARAMS file, where those configurations leave it out");
        }
        return command;
    }

    private static List<int> ParseSeeds(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return [0];
            case JsonValue v when v.TryGetValue<int>(out var n):
                if (n is < 1 or > 1000)
                    throw new SweepException("seeds", "a count of seeds is between 1 and 1000");
                return Enumerable.Range(0, n).ToList();
            case JsonArray a:
                var list = new List<int>();
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is JsonValue sv && sv.TryGetValue<int>(out var s) && s >= 0)
                        list.Add(s);
                    else
                        throw new SweepException($"seeds[{i}]", "must be a whole number, 0 or more");
                }
                if (list.Count == 0)
                    throw new SweepException("seeds", "the list is empty");
                if (list.Distinct().Count() != list.Count)
                    throw new SweepException("seeds", "the list repeats a seed");
                return list;
            default:
                throw new SweepException("seeds", "must be a count (3) or a list of seeds ([0, 1, 2])");
        }
    }

    private static SearchSpace ParseSpace(JsonNode? node)
    {
        if (node is null)
            return new SearchSpace([]);
        if (node is not JsonObject space)
            throw new SweepException("search.space", "must be an object: parameter name -> { \"values\": [...] } or a range");
        var parameters = new List<Parameter>();
        foreach (var (name, body) in space)
        {
            var path = $"search.space.{name}";
            if (name == SeedKey)
                throw new SweepException(path, "seeds are set with the top-level \"seeds\"");
            var condition = body is JsonObject withWhen && withWhen.ContainsKey(WhenKey) ? ParseWhen(withWhen[WhenKey], path + "." + WhenKey) : null;
            var kinds = body is JsonObject all ? all.Where(kv => kv.Key != WhenKey).ToList() : [];
            if (body is not JsonObject || kinds.Count != 1)
                throw new SweepException(path, "must be an object with exactly one of: " + string.Join(", ", DomainKinds)
                    + DomainExample + (kinds.Count > 1 ? "; it has: " + string.Join(", ", kinds.Select(k => k.Key)) : ""));
            var (kind, arg) = kinds[0];
            Domain domain = kind switch
            {
                "values" => ParseValues(arg, path + ".values"),
                "uniform" => Range(arg, path + ".uniform", (lo, hi) => new UniformDomain(lo, hi), positive: false),
                "log_uniform" => Range(arg, path + ".log_uniform", (lo, hi) => new LogUniformDomain(lo, hi), positive: true),
                "int" => Range(arg, path + ".int", (lo, hi) => new IntUniformDomain(checked((long)lo), checked((long)hi), false), positive: false, integer: true),
                "int_log" => Range(arg, path + ".int_log", (lo, hi) => new IntUniformDomain(checked((long)lo), checked((long)hi), true), positive: true, integer: true),
                _ => throw new SweepException($"{path}.{kind}", "unknown kind of domain" + Spelling.Hint(kind, DomainKinds) + "; use one of: " + string.Join(", ", DomainKinds) + DomainExample),
            };
            parameters.Add(new Parameter(name, domain) { When = condition });
        }
        try
        {
            return new SearchSpace(parameters);
        }
        catch (TuningException e)
        {
            throw new SweepException(e.Field, e.Reason);
        }
    }

    /// <summary>The built-in trainer's own conditions: a swept setting that only some of the swept choices read (momentum
    /// under optimizer [sgd, momentum]) is swept only where it is read, unless the file gives its own `when`. Without it
    /// every sgd run would be trained once per momentum value, to the same numbers.</summary>
    private static SearchSpace TrainerConditions(SearchSpace space)
    {
        var parameters = space.Parameters.Select(p =>
        {
            if (p.When is not null || DependentSettings.Reader(p.Name) is not { } reader || space.Find(reader.Choice) is not { Domain: ValuesDomain choices })
                return p;
            var reading = choices.Values.Where(v => reader.ReadBy.Contains(v.Trim('"'), StringComparer.Ordinal)).ToList();
            // Read by every listed choice (nothing to condition) or by none (refused later, naming the setting).
            return reading.Count == choices.Values.Count || reading.Count == 0 ? p : p with { When = new Condition(reader.Choice, reading) };
        }).ToList();
        // Most sweeps condition nothing: the space as parsed, without building and checking it again.
        return parameters.SequenceEqual(space.Parameters, ReferenceEqualityComparer.Instance) ? space : new SearchSpace(parameters);
    }

    /// <summary>`when: { optimizer: [momentum, nesterov] }` (or one value): the parameter is swept only in configurations
    /// whose `optimizer` is one of those; the space checks that the choice is a swept list holding them.</summary>
    private static Condition ParseWhen(JsonNode? node, string path)
    {
        if (node is not JsonObject { Count: 1 } when)
            throw new SweepException(path, "must be an object naming one swept list and the values it is read under: { optimizer: [momentum, nesterov] }");
        var (choice, values) = when.First();
        var listed = values is JsonArray a ? a.ToList() : new List<JsonNode?> { values };
        var texts = listed.Select((v, i) => v is JsonValue ? v.ToJsonString() : throw new SweepException($"{path}.{choice}" + (values is JsonArray ? $"[{i}]" : ""), "must be a value or a list of values")).ToList();
        return new Condition(choice, texts);
    }

    private static ValuesDomain ParseValues(JsonNode? node, string path)
    {
        if (node is not JsonArray a || a.Count == 0)
            throw new SweepException(path, "must be a non-empty list");
        var values = new List<string>(a.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < a.Count; i++)
        {
            var text = a[i]?.ToJsonString() ?? throw new SweepException($"{path}[{i}]", "null is not a value");
            if (!seen.Add(text))
                throw new SweepException($"{path}[{i}]", "repeats an earlier value");
            values.Add(text);
        }
        return new ValuesDomain(values);
    }

    private static Domain Range(JsonNode? node, string path, Func<double, double, Domain> make, bool positive, bool integer = false)
    {
        if (node is not JsonArray { Count: 2 } a
            || a[0] is not JsonValue v0 || !v0.TryGetValue<double>(out var lo)
            || a[1] is not JsonValue v1 || !v1.TryGetValue<double>(out var hi))
            throw new SweepException(path, "must be a list of two numbers: [low, high]");
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || lo >= hi)
            throw new SweepException(path, "low must be below high, both finite");
        if (positive && lo <= 0)
            throw new SweepException(path + "[0]", "a log range starts above 0");
        if (integer && (lo != Math.Floor(lo) || hi != Math.Floor(hi)))
            throw new SweepException(path, "an integer range has whole-number ends");
        return make(lo, hi);
    }

    private static string FirstValue(Domain domain) => domain switch
    {
        ValuesDomain v => v.Values[0],
        UniformDomain u => Num(u.Low),
        LogUniformDomain l => Num(l.Low),
        IntUniformDomain i => i.Low.ToString(CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException("unknown domain"),
    };

    /// <summary>
    /// The base settings (with the first value of every swept parameter) must make a valid run, and so must every listed
    /// value (both ends of a range) with the others at their first; the error points at the value. Returns the base spec.
    /// </summary>
    /// With <paramref name="files"/> null, only what needs no data is checked.
    private static TrainingSpec CheckCandidates(JsonObject training, SearchSpace space, DataFiles? files)
    {
        var firstConfig = space.Parameters.ToDictionary(p => p.Name, p => FirstValue(p.Domain), StringComparer.Ordinal);
        var baseSpec = CheckSpec(training, firstConfig, null, files);
        // Only for a swept setting that depends on a choice: every parse of a stored sweep (an activation, `excl show`)
        // comes through here, and writing the whole spec as JSON for nothing was reflection over every option.
        JsonObject? baseJson = null;
        IReadOnlyCollection<string> ChoicesOf(string choice) => space.Find(choice)?.Domain is ValuesDomain listed
            ? listed.Values.Select(v => v.Trim('"')).ToList()
            : [(baseJson ??= TrainingSpecJson.ToJson(baseSpec))[choice]?.GetValue<string>() ?? "the default"];
        foreach (var p in space.Parameters)
        {
            if (DependentSettings.Unread(p.Name, ChoicesOf) is { } unread)
                throw new SweepException($"search.space.{p.Name}", unread);
        }
        foreach (var p in space.Parameters)
        {
            var path = $"search.space.{p.Name}";
            IEnumerable<(string Value, string Path)> candidates = p.Domain switch
            {
                ValuesDomain v => v.Values.Select((x, i) => (x, $"{path}.values[{i}]")),
                UniformDomain u => [(Num(u.Low), $"{path}.uniform[0]"), (Num(u.High), $"{path}.uniform[1]")],
                LogUniformDomain l => [(Num(l.Low), $"{path}.log_uniform[0]"), (Num(l.High), $"{path}.log_uniform[1]")],
                IntUniformDomain i => [(i.Low.ToString(CultureInfo.InvariantCulture), $"{path}.{(i.Log ? "int_log" : "int")}[0]"),
                    (i.High.ToString(CultureInfo.InvariantCulture), $"{path}.{(i.Log ? "int_log" : "int")}[1]")],
                _ => [],
            };
            foreach (var (value, valuePath) in candidates)
                CheckValue(baseSpec, firstConfig, p.Name, value, valuePath, files);
        }
        return baseSpec;
    }

    /// <summary>The base spec with one swept value in place of its first: the spec the file would give for that value.</summary>
    private static void CheckValue(TrainingSpec baseSpec, IReadOnlyDictionary<string, string> config, string name, string value, string path, DataFiles? files)
    {
        try
        {
            var spec = TrainingSpecJson.WithOption(baseSpec, name, JsonNode.Parse(value));
            if (files is not null)
                spec.Validate(files);
        }
        catch (SpecException e)
        {
            throw new SweepException(e.Field == name ? path : config.ContainsKey(e.Field) ? $"search.space.{e.Field}" : $"training.{e.Field}", e.Reason);
        }
    }

    private static TrainingSpec CheckSpec(JsonObject training, IReadOnlyDictionary<string, string> config, (string Name, string Path)? swept, DataFiles? files)
    {
        var json = (JsonObject)training.DeepClone();
        foreach (var (key, value) in config)
            json[key] = JsonNode.Parse(value);
        try
        {
            return files is not null ? TrainingSpecJson.Parse(json, files) : TrainingSpecJson.ReadSettings(json);
        }
        catch (SpecException e)
        {
            var path = swept is { } s && e.Field == s.Name ? s.Path
                : config.ContainsKey(e.Field) ? $"search.space.{e.Field}"
                : $"training.{e.Field}";
            throw new SweepException(path, e.Reason);
        }
    }

    private static Dictionary<string, JsonElement> Settings(JsonNode? node, string path) => node switch
    {
        null => [],
        JsonObject o => o.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value), StringComparer.Ordinal),
        _ => throw new SweepException(path, "must be an object"),
    };

    /// <summary>System.Text.Json counts the column in UTF-8 bytes; a person counts characters (a name in Greek, an emoji).</summary>
    private static int CharacterColumn(string text, int line, int bytes)
    {
        var lines = text.Split('\n');
        if (line >= lines.Length)
            return bytes;
        var utf8 = System.Text.Encoding.UTF8.GetBytes(lines[line]);
        return System.Text.Encoding.UTF8.GetCharCount(utf8, 0, Math.Min(bytes, utf8.Length));
    }

    private static string? OptionalString(JsonObject o, string key, string prefix) => o[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw new SweepException(prefix + key, "must be a string"),
    };

    private static int? OptionalInt(JsonObject o, string key, string prefix, int min, int max)
    {
        if (o[key] is null)
            return null;
        if (o[key] is not JsonValue v || !v.TryGetValue<double>(out var d) || d != Math.Floor(d))
            throw new SweepException(prefix + key, "must be a whole number");
        if (d < min || d > max)
            throw new SweepException(prefix + key, $"must be between {min} and {max}");
        return (int)d;
    }

    /// <summary>The catalogs name either the algorithm (an unknown name) or one of its settings.</summary>
    private static SweepException FromTuning(TuningException e, string namePath, string settingsPath) => e.Field switch
    {
        "strategy" or "early_stopping" => new SweepException(namePath, e.Reason),
        var f when f.StartsWith("search.", StringComparison.Ordinal) => new SweepException(f, e.Reason),
        var f when f.Contains('.', StringComparison.Ordinal) => new SweepException($"{settingsPath}.{f[(f.IndexOf('.', StringComparison.Ordinal) + 1)..]}", e.Reason),
        var f => new SweepException($"{settingsPath}.{f}", e.Reason),
    };

    private static string Num(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The reader's reason without its own position (0-based, in bytes): the error already leads with the line and column.</summary>
    private static string FirstSentence(string message)
    {
        foreach (var marker in (string[])[" Path:", " LineNumber:"])
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
                message = message[..cut];
        }
        return message.Trim();
    }
}
