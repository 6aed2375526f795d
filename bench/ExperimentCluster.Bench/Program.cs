using ExperimentCluster.Bench;
using ExperimentCluster.Cli.CommandLine;

return await CliRunner.RunAsync(BenchCommands.Build(), BenchCommands.Program, args);
