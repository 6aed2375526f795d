using System.CommandLine;
using ExperimentCluster.Cli.CommandLine;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// The options and arguments of the sweep commands, made once per command tree: each command takes the ones it
/// needs (see <see cref="SweepCommandLine"/>) and its body reads them by these names.
/// </summary>
public sealed class SweepOptions(ConnectionOptions connection)
{
    public ConnectionOptions Connection { get; } = connection;

    public Argument<string?> File { get; } = CliOptions.Positional("FILE", "a sweep file, JSON or YAML (or give --example)", required: false);

    public Option<string?> Example { get; } = CliOptions.Text("--example", "a built-in sweep file instead of FILE (`excl examples` lists them)", "none", "name");

    public Option<string?> Upload { get; } = CliOptions.Text("--upload",
        "a command sweep's code: the folder is stored in the cluster and is each trial's working folder (.exclignore lists what to leave out)",
        "none: the silo's working folder", "dir");

    public Argument<string?> SweepId { get; } = CliOptions.Positional("ID", "the sweep's id");

    public Option<string?> NewId { get; } = CliOptions.Text("--id", "the new sweep's id", "the sweep's name, the time and a random suffix", "id");

    public Option<bool> Json { get; } = CliOptions.Flag("--json", "machine-readable output: one JSON object per line");

    public Option<string?> ResultsFolder { get; } = CliOptions.Text("--out", "the folder for runs.csv and the JSON summary", "excl-results/ID", "dir");

    public Option<string?> ExportFile { get; } = CliOptions.Text("--out", "the file to write", "standard output", "file");

    public Option<string> Format { get; } = CliOptions.TextWithDefault("--format", "json", "csv (one row per epoch of every run) or json", "csv|json");
}
