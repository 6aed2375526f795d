using ExperimentCluster.Cli;
using ExperimentCluster.Cli.Commands;

// One entry per command; each command parses its own options with CliArgs.
var commands = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.Ordinal)
{
    ["run"] = SweepCommands.RunAsync,
    ["resume"] = SweepCommands.ResumeAsync,
    ["submit"] = SweepCommands.SubmitAsync,
    ["watch"] = SweepCommands.WatchAsync,
    ["list"] = SweepCommands.ListAsync,
    ["show"] = SweepCommands.ShowAsync,
    ["cancel"] = SweepCommands.CancelAsync,
    ["export"] = SweepCommands.ExportAsync,
    ["plot"] = PlotCommand.RunAsync,
    ["examples"] = ExamplesCommand.ListAsync,
    ["init"] = ExamplesCommand.InitAsync,
    ["train"] = TrainCommand.RunAsync,
    ["lr-find"] = LrFindCommand.RunAsync,
    ["bench"] = BenchCommand.RunAsync,
};

if (args.Length == 0 || args[0] is "-h" or "--help" or "help" || !commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine(args.Length == 0 || args[0] is "-h" or "--help" or "help"
        ? "usage: excl <command> [options]"
        : $"excl: unknown command '{args[0]}'");
    Console.Error.WriteLine("commands: " + string.Join(", ", commands.Keys));
    return args.Length == 0 ? 2 : args[0] is "-h" or "--help" or "help" ? 0 : 2;
}

try
{
    return await command(args[1..]);
}
catch (CliException e)
{
    Console.Error.WriteLine($"excl {args[0]}: {e.Message}");
    return 2;
}
catch (Exception e) when (e is OrleansException or TimeoutException)
{
    // The cluster (or the excl process serving a data folder) went away mid-command: one line, not a stack trace.
    Console.Error.WriteLine($"excl {args[0]}: the cluster stopped answering: {e.Message.Split('\n')[0]}");
    return 1;
}
