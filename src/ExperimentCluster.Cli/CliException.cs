namespace ExperimentCluster.Cli;

/// <summary>A bad command line or input: printed as one line, exit code 2, never a stack trace.</summary>
public sealed class CliException(string message) : Exception(message);
