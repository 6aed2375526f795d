using System.CommandLine;
using ExperimentCluster.Cli.CommandLine;

namespace ExperimentCluster.Cli.Commands;

/// <summary>`excl examples` lists the built-in sweep files; `excl init NAME` writes one to disk for editing.</summary>
public static class ExamplesCommand
{
    public static Command CreateList()
    {
        var command = new Command("examples", "lists the built-in sweep files");
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
        foreach (var name in Examples.Names)
            Console.WriteLine($"{name,-14} {Examples.Description(name)}");
        return Task.FromResult(0);
    }

    public static async Task<int> InitAsync(string name, string? output, bool force)
    {
        var text = Examples.Text(name);
        var path = output ?? $"{name}.json";
        if (File.Exists(path) && !force)
            throw new CliException($"{path}: exists already; use --force to overwrite");
        await File.WriteAllTextAsync(path, text);
        Console.WriteLine($"wrote {path}; run it with: excl run {path}");
        return 0;
    }
}
