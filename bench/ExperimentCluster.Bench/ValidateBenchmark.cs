using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ExperimentCluster.Cli;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.SweepModel;

namespace ExperimentCluster.Bench;

/// <summary>`validate`: how long the sweep model takes to check a sweep with N listed values (every value is checked).</summary>
public static class ValidateBenchmark
{
    public static Command Create()
    {
        var values = CliOptions.Int("--values", 200_000, "listed learning rates in the sweep file");
        var command = new Command("validate", "SweepDefinition.Parse of a sweep with N listed values") { values };
        command.SetAction(parse => Run(parse.GetValue(values)));
        return command;
    }

    private static int Run(int count)
    {
        if (count < 1)
            throw new CliException("--values: must be at least 1");
        var list = string.Join(", ", Enumerable.Range(1, count).Select(i => (i * 1e-7).ToString("R", CultureInfo.InvariantCulture)));
        var text = $$"""
            { "training": { "dataset": "iris", "epochs": 2 },
              "search": { "strategy": "random", "trials": 1, "space": { "learning_rate": { "values": [{{list}}] } } } }
            """;
        // Twice: the first includes compiling the parser (what one excl process pays), the second is the check itself
        // (what a silo that has taken submissions before pays).
        var clock = Stopwatch.StartNew();
        var definition = SweepDefinition.Parse(text);
        var cold = clock.Elapsed.TotalSeconds;
        clock.Restart();
        SweepDefinition.Parse(text);
        var warm = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"validate: {definition.Space.Parameters[0].Domain switch { ExperimentCluster.Tuning.ValuesDomain v => v.Values.Count, _ => 0 }} listed values, {text.Length} characters, parsed and checked in {cold:F3} s (first, with compilation), {warm:F3} s (again)"));
        return 0;
    }
}
