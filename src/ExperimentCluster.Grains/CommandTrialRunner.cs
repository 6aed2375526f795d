using ExperimentCluster.CommandTrials;
using ExperimentCluster.Grains.Code;
using Microsoft.Extensions.Options;

namespace ExperimentCluster.Grains;

/// <summary>
/// Starts command trials on this silo: refuses them unless the silo allows commands, finds the code (uploaded, from the
/// silo's cache; else the silo's working folder), and gives each run a folder of its own for its checkpoint folder and
/// parameter file.
/// </summary>
public sealed class CommandTrialRunner(IOptions<ExperimentOptions> options, CodeCache code)
{
    /// <summary>The reason a silo that does not allow commands gives, at submission and at a run's start.</summary>
    public const string Refusal = "this cluster does not run commands: its silos need " + CommandSettings.AllowSetting
        + "=true, which also requires the cluster token (see README, Command sweeps)";

    /// <summary>The protocol's Python helper, shipped beside the silo; trials get it on PYTHONPATH.</summary>
    private static readonly string? HelperFolder = Directory.Exists(Path.Combine(AppContext.BaseDirectory, "python"))
        ? Path.Combine(AppContext.BaseDirectory, "python") : null;

    public bool Allowed => options.Value.Commands.Allow;

    internal async Task<IRunChunks> StartAsync(CommandSpec spec, RunState state, byte[]? checkpoint, IReadOnlyList<string> gpus, TrialLog log, CancellationToken cancellationToken)
    {
        var settings = options.Value.Commands;
        if (!settings.Allow)
            throw new TrialFailedException(Refusal);
        var codeFolder = spec.Code is null ? Environment.CurrentDirectory : await code.EnsureAsync(spec.Code, cancellationToken);
        var runsFolder = settings.RunsFolder.Length > 0 ? settings.RunsFolder : Path.Combine(Path.GetTempPath(), "excl-trials");
        var runFolder = Path.Combine(Path.GetFullPath(runsFolder), state.SweepId!, state.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var launch = new TrialLaunch(spec, state.Config, state.SweepId!, state.Number, codeFolder, runFolder, gpus, HelperFolder);
        if (!Directory.Exists(launch.WorkingFolder))
            throw new TrialFailedException($"command.cwd: the folder '{spec.Cwd}' is not in the code ({(spec.Code is null ? "the silo's working folder" : "the upload")})");
        var counted = state.Metrics.Count > 0 ? state.Metrics[^1].Epoch : 0;
        var first = state.Metrics.Count > 0 ? state.Metrics[0].ValLoss : (double?)null;
        var trial = new CommandTrialRun(launch, settings, log, checkpoint, counted, first);
        return new CommandChunks(trial, cancellationToken);
    }
}
