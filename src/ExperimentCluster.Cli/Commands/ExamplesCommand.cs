using System.CommandLine;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.SweepModel;

namespace ExperimentCluster.Cli.Commands;

/// <summary>`excl examples` lists the built-in sweep files and the repository's command-sweep examples; `excl init NAME` writes a built-in one to disk for editing.</summary>
public static class ExamplesCommand
{
    public static Command CreateList()
    {
        var command = new Command("examples", "lists the built-in sweep files, and the repository's command-sweep examples with how to run them");
        command.SetAction(_ => ListAsync());
        return command;
    }

    public static Command CreateInit()
    {
        var name = CliOptions.Positional("NAME", "a built-in sweep file (`excl examples` lists them)");
        var output = CliOptions.Text("--out", "where to write it", "NAME.json", "file");
        var force = CliOptions.Flag("--force", "overwrite the file if it exists");
        var command = new Command("init", "writes a built-in sweep file to disk for editing") { name, output, force };
        command.SetAction(parse => InitAsync(parse.GetValue(name)!, parse.GetValue(output), parse.GetValue(force)));
        return command;
    }

    public static Task<int> ListAsync()
    {
        // The column is as wide as the longest name (lr-decades-search overran a fixed one).
        var width = Examples.Names.Max(n => n.Length);
        foreach (var name in Examples.Names)
            Console.WriteLine($"{name.PadRight(width)}  {Examples.Description(name)}");
        Console.WriteLine();
        Console.WriteLine("Command sweeps (your own training program as the trial; files of the repository, run from its root):");
        var fileWidth = CommandExamples.All.Max(e => e.SweepFile.Length);
        foreach (var example in CommandExamples.All)
        {
            Console.WriteLine($"{example.SweepFile.PadRight(fileWidth)}  {example.Description}");
            Console.WriteLine($"{new string(' ', fileWidth)}  {example.Command}");
        }
        return Task.FromResult(0);
    }

    public static async Task<int> InitAsync(string name, string? output, bool force)
    {
        var text = Examples.Text(name);
        var path = output ?? $"{name}.json";
        if (File.Exists(path) && !force)
            throw new CliException($"{path}: exists already; use --force to overwrite");
        // A .yaml name gets YAML: the JSON with comments is not YAML.
        await File.WriteAllTextAsync(path, SweepYamlWriter.ForPath(path, text));
        Console.WriteLine($"wrote {path}; run it with: excl run {path}");
        return 0;
    }
}
