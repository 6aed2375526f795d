using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace ExperimentCluster.EndToEnd.Tests.Trials;

/// <summary>What one trial gets from the cluster (examples/trial-protocol.md): hyperparameters, seed, checkpoint folder.</summary>
public sealed record TrialSetup(double LearningRate, string CheckpointDir, int Seed = 0, int? MaxEpochs = null, int CheckpointEpoch = 0)
{
    /// <summary>A fresh start in a new, empty checkpoint folder.</summary>
    public static TrialSetup Fresh(double learningRate, int? maxEpochs = null, int seed = 0) =>
        new(learningRate, Programs.TempFolder(), seed, maxEpochs);
}

/// <summary>
/// An example training program run as a sweep runs it: the `command.run` of its sweep.yaml with the placeholders
/// filled in, from the example's folder, with the protocol's environment. Only the hyperparameter `learning_rate` is
/// given, as the examples' lr-decades sweeps do.
/// </summary>
public sealed class TrialProgram(string folder)
{
    private static readonly string Configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    public static TrialProgram Python { get; } = new(Path.Combine(Programs.RepositoryRoot, "examples", "python"));

    public static TrialProgram Dotnet { get; } = new(Path.Combine(Programs.RepositoryRoot, "examples", "dotnet"));

    public string Folder { get; } = folder;

    /// <summary>The sweep file's command, its arguments as written.</summary>
    public IReadOnlyList<string> Command { get; } = ReadCommand(Path.Combine(folder, "sweep.yaml"));

    /// <summary>Starts the trial; its reports are the output lines, its log the errors.</summary>
    public StartedTrial Start(TrialSetup setup)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["learning_rate"] = setup.LearningRate.ToString("R", CultureInfo.InvariantCulture),
            ["seed"] = setup.Seed.ToString(CultureInfo.InvariantCulture),
            ["checkpoint_dir"] = setup.CheckpointDir,
        };
        var parameters = Path.Combine(Programs.TempFolder(), "params.json");
        File.WriteAllText(parameters, JsonSerializer.Serialize(new Dictionary<string, double> { ["learning_rate"] = setup.LearningRate }));
        var info = new ProcessStartInfo(Command[0])
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Command.Skip(1))
            info.ArgumentList.Add(Fill(argument, values));
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["PYTHONPATH"] = Path.Combine(Programs.RepositoryRoot, "src", "python");
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1"; // no __pycache__ in the source folders
        info.Environment["EXCL_PARAMS"] = parameters;
        info.Environment["EXCL_PARAM_LEARNING_RATE"] = values["learning_rate"];
        info.Environment["EXCL_SEED"] = values["seed"];
        info.Environment["EXCL_SWEEP"] = "trial-tests";
        info.Environment["EXCL_RUN"] = "1";
        info.Environment["EXCL_CHECKPOINT_DIR"] = setup.CheckpointDir;
        info.Environment["EXCL_CHECKPOINT_EPOCH"] = setup.CheckpointEpoch.ToString(CultureInfo.InvariantCulture);
        if (setup.MaxEpochs is { } epochs)
            info.Environment["EXCL_MAX_EPOCHS"] = epochs.ToString(CultureInfo.InvariantCulture);
        else
            info.Environment.Remove("EXCL_MAX_EPOCHS");
        var process = Process.Start(info)!;
        return new StartedTrial(process.Id, new RunningProgram(process));
    }

    /// <summary>Runs the trial to its end; fails with its log when it does not exit 0.</summary>
    public async Task<List<TrialReport>> RunAsync(TrialSetup setup)
    {
        using var trial = Start(setup);
        var code = await trial.Program.WaitForExitAsync(TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"exit code {code}; errors:\n{trial.Program.Errors}");
        return ReportLines.Parse(trial.Program.Lines);
    }

    private static string Fill(string argument, Dictionary<string, string> values)
    {
        foreach (var (name, value) in values)
            argument = argument.Replace("{" + name + "}", value, StringComparison.Ordinal);
        // The sweep names the Release build (what the README builds); a Debug test run built the Debug one.
        return argument.Replace("bin/Release/", $"bin/{Configuration}/", StringComparison.Ordinal);
    }

    private static List<string> ReadCommand(string sweepFile)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(sweepFile))
            yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var command = (YamlMappingNode)root.Children[new YamlScalarNode("command")];
        var run = (YamlSequenceNode)command.Children[new YamlScalarNode("run")];
        return run.Children.Select(n => ((YamlScalarNode)n).Value!).ToList();
    }
}

/// <summary>A started trial process: its output, and SIGTERM as the silo sends it.</summary>
public sealed class StartedTrial(int processId, RunningProgram program) : IDisposable
{
    public RunningProgram Program { get; } = program;

    public List<TrialReport> Reports => ReportLines.Parse(Program.Lines);

    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", processId.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose() => Program.Dispose();
}
