using ExperimentCluster.Cli.Output;
using System.CommandLine;
using System.CommandLine.Invocation;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Cli.CommandLine;

/// <summary>
/// Parses and runs a command tree with excl's conventions: a bad command line or input is one line on stderr and exit
/// code 2 (so is a cluster's refusal of the token); a cluster that stops answering is one line and exit code 1; never a stack trace or a help dump.
/// </summary>
public static class CliRunner
{
    public static async Task<int> RunAsync(RootCommand root, string program, string[] args)
    {
        ConsoleWidth.Apply();
        var parse = root.Parse(args);
        // Help and --version clear the errors of the rest of the line; any other action with errors is the parser's
        // own multi-line report, which this replaces.
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction or null)
        {
            await Console.Error.WriteLineAsync(ParseErrorLine.For(parse, program));
            return 2;
        }
        // Ctrl-C and SIGTERM belong to the commands (see Interrupt): they keep checkpoints and print how to resume.
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        var command = ParseErrorLine.CommandPath(parse, program);
        try
        {
            return await parse.InvokeAsync(invocation);
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync($"{command}: {TerminalText.Plain(e.Message)}");
            return 2;
        }
        catch (ClusterTokenException e)
        {
            // A refusal, not an outage: retrying cannot help, the command line (or EXCL_TOKEN) must change, as with bad input.
            await Console.Error.WriteLineAsync($"{command}: {e.Message}: give the cluster's token with --token or EXCL_TOKEN");
            return 2;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            // The cluster (or the excl process serving a data folder) went away mid-command: one line, not a stack trace.
            await Console.Error.WriteLineAsync($"{command}: the cluster stopped answering: {TerminalText.Plain(e.Message.Split('\n')[0])}");
            return 1;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("EXCL_DEBUG") is not "1")
        {
            // What no check above foresaw: still one line (the runtime's abort printed a stack trace and exit code 134),
            // with the way to the trace for a bug report.
            await Console.Error.WriteLineAsync($"{command}: {e.GetType().Name}: {TerminalText.Plain(e.Message.Split('\n')[0])} (an error excl did not expect; EXCL_DEBUG=1 prints its stack trace)");
            return 1;
        }
    }
}
