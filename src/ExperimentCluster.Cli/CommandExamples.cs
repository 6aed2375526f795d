namespace ExperimentCluster.Cli;

/// <summary>
/// The repository's command-sweep examples: sweeps whose trial is the user's own program. They are not built into excl
/// like <see cref="Examples"/>, because their code is a folder of the repository that travels with `--upload`; `excl
/// examples` names them with the command that runs each from the repository's root.
/// </summary>
public static class CommandExamples
{
    /// <summary>One example: its sweep file (relative to the repository's root), what it is, and how to run it.</summary>
    public sealed record Example(string SweepFile, string Description, string Command);

    public static IReadOnlyList<Example> All { get; } =
    [
        new("examples/python/sweep.yaml",
            "lr-decades on your own program: a Python MLP on iris (standard library only), checkpointed every epoch",
            "excl run examples/python/sweep.yaml --upload examples/python"),
        new("examples/dotnet/sweep.yaml",
            "the same sweep on a .NET program (ExperimentCluster.Trial); its built bin/ is uploaded with it",
            "dotnet build examples/dotnet -c Release && excl run examples/dotnet/sweep.yaml --upload examples/dotnet"),
    ];
}
