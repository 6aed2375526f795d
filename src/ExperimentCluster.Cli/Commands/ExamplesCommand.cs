namespace ExperimentCluster.Cli.Commands;

/// <summary>`excl examples` lists the built-in sweep files; `excl init NAME` writes one to disk for editing.</summary>
public static class ExamplesCommand
{
    public static Task<int> ListAsync(string[] words)
    {
        var args = CliArgs.Parse(words, new HashSet<string>());
        args.RejectUnknown();
        foreach (var name in Examples.Names)
            Console.WriteLine($"{name,-14} {Examples.Description(name)}");
        return Task.FromResult(0);
    }

    public static async Task<int> InitAsync(string[] words)
    {
        var args = CliArgs.Parse(words, new HashSet<string>(["force"]));
        var force = args.Flag("force");
        var output = args.String("out");
        args.RejectUnknown();
        if (args.Positionals.Count != 1)
            throw new CliException("usage: excl init NAME [--out FILE] (`excl examples` lists the names)");
        var name = args.Positionals[0];
        var text = Examples.Text(name);
        var path = output ?? $"{name}.json";
        if (File.Exists(path) && !force)
            throw new CliException($"{path}: exists already; use --force to overwrite");
        await File.WriteAllTextAsync(path, text);
        Console.WriteLine($"wrote {path}; run it with: excl run {path}");
        return 0;
    }
}
