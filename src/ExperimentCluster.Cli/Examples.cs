namespace ExperimentCluster.Cli;

/// <summary>The sweep files that ship inside excl (embedded resources "examples/NAME.json").</summary>
public static class Examples
{
    public static IReadOnlyList<string> Names { get; } = typeof(Examples).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("examples/", StringComparison.Ordinal))
        .Select(n => n["examples/".Length..^".json".Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    public static string Text(string name)
    {
        using var stream = typeof(Examples).Assembly.GetManifestResourceStream($"examples/{name}.json")
            ?? throw new CliException($"--example: no example '{name}'; there are: {string.Join(", ", Names)}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The first comment line of the file says what the example is for.</summary>
    public static string Description(string name) =>
        Text(name).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("//", StringComparison.Ordinal))?.TrimStart('/', ' ') ?? "";
}
