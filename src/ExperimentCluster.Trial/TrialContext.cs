using System.Runtime.InteropServices;
using System.Text.Json;

namespace ExperimentCluster.Trial;

/// <summary>
/// One trial of a command sweep, as the trial protocol (examples/trial-protocol.md) hands it to the program: its
/// hyperparameters, seed and checkpoint folder; <see cref="Restore{TState}"/> to resume and <see cref="Report{TState}"/>
/// to print an epoch's metrics after saving its checkpoint.
/// </summary>
/// <example>
/// <code>
/// var trial = TrialContext.FromEnvironment();
/// var (epoch, state) = trial.Restore&lt;MyState&gt;();
/// trial.Report(epoch, new Dictionary&lt;string, double&gt; { ["val_loss"] = 0.41 }, checkpoint: state);
/// </code>
/// </example>
/// <remarks>
/// Outside the cluster (no EXCL_* variables) a program still runs: no hyperparameters (the accessors' defaults apply),
/// seed 0, a new temporary checkpoint folder. SIGTERM, which the cluster sends to stop a trial, is logged to standard
/// error and then ends the process as .NET does by default; a checkpoint being written at that moment is abandoned
/// whole, and the folder never holds a partial state file.
/// </remarks>
public sealed class TrialContext
{
    private static readonly Lock SignalLock = new();
    private static PosixSignalRegistration? _sigterm;

    private readonly TextWriter _output;
    private readonly CheckpointFolder _checkpoints;
    private readonly int? _checkpointEpoch;

    private TrialContext(TrialVariables variables, TextWriter output)
    {
        _output = output;
        Parameters = variables.Parameters();
        Seed = variables.Int("EXCL_SEED", int.MinValue) ?? 0;
        Sweep = variables.Text("EXCL_SWEEP");
        Run = variables.Int("EXCL_RUN", 0);
        MaxEpochs = variables.Int("EXCL_MAX_EPOCHS", 1);
        _checkpointEpoch = variables.Int("EXCL_CHECKPOINT_EPOCH", 0);
        var folder = variables.Text("EXCL_CHECKPOINT_DIR") ?? Directory.CreateTempSubdirectory("excl-trial-").FullName;
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"EXCL_CHECKPOINT_DIR '{folder}' is not a folder");
        _checkpoints = new CheckpointFolder(folder);
    }

    /// <summary>The hyperparameters: name → JSON value (from the EXCL_PARAMS file, else the EXCL_PARAM_* variables).</summary>
    public IReadOnlyDictionary<string, JsonElement> Parameters { get; }

    /// <summary>The trial's seed (EXCL_SEED; 0 outside the cluster). Use it for every random choice.</summary>
    public int Seed { get; }

    /// <summary>The sweep's id (EXCL_SWEEP), or null outside the cluster.</summary>
    public string? Sweep { get; }

    /// <summary>The run's number (EXCL_RUN), or null outside the cluster.</summary>
    public int? Run { get; }

    /// <summary>The number of epochs the sweep asks for (EXCL_MAX_EPOCHS), or null when it does not say.</summary>
    public int? MaxEpochs { get; }

    /// <summary>The folder this run may write into (EXCL_CHECKPOINT_DIR); the only one.</summary>
    public string CheckpointDirectory => _checkpoints.Path;

    /// <summary>Reads the trial from this process's environment and reports to standard output.</summary>
    public static TrialContext FromEnvironment()
    {
        var trial = new TrialContext(TrialVariables.FromProcess(), Console.Out);
        LogSigterm();
        return trial;
    }

    /// <summary>A trial from given variables, reporting to the writer (tests; a program hosting several trials).</summary>
    internal static TrialContext FromVariables(IReadOnlyDictionary<string, string> variables, TextWriter output) =>
        new(TrialVariables.From(variables), output);

    /// <summary>The hyperparameter as a number; throws, naming it, when the trial has none or it is not a number.</summary>
    public double Double(string name) => Number(name, Required(name));

    /// <summary>The hyperparameter as a number, or <paramref name="defaultValue"/> when the trial has none.</summary>
    public double Double(string name, double defaultValue) =>
        Parameters.TryGetValue(name, out var value) ? Number(name, value) : defaultValue;

    /// <summary>The hyperparameter as a whole number; throws, naming it, when the trial has none or it is not whole.</summary>
    public int Int(string name) => Whole(name, Required(name));

    /// <summary>The hyperparameter as a whole number, or <paramref name="defaultValue"/> when the trial has none.</summary>
    public int Int(string name, int defaultValue) =>
        Parameters.TryGetValue(name, out var value) ? Whole(name, value) : defaultValue;

    /// <summary>The hyperparameter as text: a string as itself, any other value as its JSON (as a placeholder writes it).</summary>
    public string Text(string name) => AsText(Required(name));

    /// <summary>The hyperparameter as text, or <paramref name="defaultValue"/> when the trial has none.</summary>
    public string Text(string name, string defaultValue) =>
        Parameters.TryGetValue(name, out var value) ? AsText(value) : defaultValue;

    /// <summary>
    /// The epoch and state to resume from, or (0, default) on a fresh start. On the cluster EXCL_CHECKPOINT_EPOCH names
    /// the epoch the restored folder holds; without it the newest state in the folder is used.
    /// </summary>
    public (int Epoch, TState? State) Restore<TState>() => _checkpoints.Restore<TState>(_checkpointEpoch);

    /// <summary>Prints the epoch's report line (no checkpoint) and flushes it.</summary>
    public void Report(int epoch, IEnumerable<KeyValuePair<string, double>> metrics) =>
        Print(ReportLine.Format(epoch, metrics, checkpoint: false));

    /// <summary>
    /// Saves <paramref name="checkpoint"/> (System.Text.Json, fields included, NaN allowed) into the checkpoint folder,
    /// completely, then prints the epoch's report line with <c>"checkpoint": true</c> and flushes it.
    /// </summary>
    public void Report<TState>(int epoch, IEnumerable<KeyValuePair<string, double>> metrics, TState checkpoint)
    {
        var line = ReportLine.Format(epoch, metrics, checkpoint: true); // a bad report fails before the folder changes
        _checkpoints.Save(epoch, checkpoint);
        Print(line);
    }

    private void Print(string line)
    {
        // One write of the whole line: a reader never sees half a report, even when the process is stopped right after.
        _output.Write(line + "\n");
        _output.Flush();
    }

    private JsonElement Required(string name)
    {
        if (Parameters.TryGetValue(name, out var value))
            return value;
        var known = Parameters.Count > 0 ? string.Join(", ", Parameters.Keys.Order(StringComparer.Ordinal)) : "none";
        throw new KeyNotFoundException($"hyperparameter '{name}' is not set (this trial has: {known}); pass a default");
    }

    private static double Number(string name, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble()
        : throw new FormatException($"hyperparameter '{name}' is {value.GetRawText()}, not a number");

    private static int Whole(string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var whole))
            return whole;
        // A space of whole numbers may still arrive as 16.0 from a writer that keeps the decimal point.
        if (value.ValueKind == JsonValueKind.Number && value.GetDouble() is var d && Math.Floor(d) == d && d is >= int.MinValue and <= int.MaxValue)
            return (int)d;
        throw new FormatException($"hyperparameter '{name}' is {value.GetRawText()}, not a whole number");
    }

    private static string AsText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static void LogSigterm()
    {
        lock (SignalLock)
        {
            // Not cancelled: the runtime's default handling (exit) follows the log line.
            _sigterm ??= PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ =>
            {
                Console.Error.WriteLine("ExperimentCluster.Trial: SIGTERM received, stopping");
                Console.Error.Flush();
            });
        }
    }
}
