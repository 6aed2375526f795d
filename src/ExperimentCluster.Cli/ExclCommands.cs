using System.CommandLine;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Cli.Commands;

namespace ExperimentCluster.Cli;

/// <summary>
/// The whole `excl` command tree. Public and built in one place so that the tests walk the same tree the program
/// runs: a command added here is checked by them without being named there.
/// </summary>
public static class ExclCommands
{
    public const string Program = "excl";

    public static RootCommand Build()
    {
        var connection = new ConnectionOptions();
        var root = new RootCommand("ExperimentCluster: hyperparameter sweeps on Orleans. `excl COMMAND --help` lists a command's options.");
        foreach (var command in SweepCommandLine.Create(connection))
            root.Add(command);
        root.Add(LogsCommand.Create(connection));
        root.Add(ModelCommand.Create(connection));
        root.Add(PredictCommand.Create(connection));
        root.Add(PlotCommand.Create(connection));
        root.Add(RefineCommand.Create(connection));
        root.Add(CompareCommand.Create(connection));
        root.Add(EditCommand.Create(connection));
        root.Add(DeleteCommand.Create(connection));
        root.Add(ExamplesCommand.CreateList());
        root.Add(ExamplesCommand.CreateInit());
        root.Add(TrainCommand.Create());
        root.Add(LrFindCommand.Create());
        // `excl` alone: one line, as for any other incomplete command line, rather than the parser's report and help.
        root.SetAction(_ =>
        {
            Console.Error.WriteLine($"usage: {Program} COMMAND [options] ({Program} --help lists the commands)");
            return 2;
        });
        return root;
    }
}
