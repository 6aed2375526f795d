using ExperimentCluster.Cli;
using ExperimentCluster.Cli.CommandLine;

return await CliRunner.RunAsync(ExclCommands.Build(), ExclCommands.Program, args);
