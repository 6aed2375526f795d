// Every command writes its --json lines through the one serializer configuration and its output records.
global using ExperimentCluster.Cli.Output;
global using ExperimentCluster.Contracts.Json;
