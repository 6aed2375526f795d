using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>The optimizers example, run as a user runs it: momentum is swept only for the momentum optimizer and beta1
/// only for adam, in every run; the importance measures the parameters every run has.</summary>
public sealed class ConditionalExampleTests
{
    [Fact]
    public async Task The_optimizers_example_sweeps_each_setting_only_where_its_optimizer_reads_it()
    {
        var dir = Programs.TempFolder();
        var (code, output, errors) = await Programs.ExclAsync(dir, TimeSpan.FromMinutes(3), "run", "--example", "optimizers", "--json", "--id", "opt");
        Assert.True(code == 0, $"exit {code}\n{output}\n{errors}");

        var export = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "excl-results", "opt", "summary.json")))!;
        var configs = export["runs"]!.AsArray().Select(r => r!["hyperparameters"]!.AsObject()).ToList();
        Assert.Equal(40, configs.Count);
        Assert.All(configs, c =>
        {
            Assert.Equal((string?)c["optimizer"] == "momentum", c.ContainsKey("momentum"));
            Assert.Equal((string?)c["optimizer"] == "adam", c.ContainsKey("beta1"));
        });
        Assert.Equal(3, configs.Select(c => (string?)c["optimizer"]).Distinct().Count());
        Assert.Equal(["learning_rate", "optimizer"], export["importance"]!["parameters"]!.AsArray().Select(p => (string?)p!["parameter"]).Order(StringComparer.Ordinal));
        var show = await Programs.ExclAsync(dir, TimeSpan.FromMinutes(1), "show", "opt");
        Assert.True(show.Code == 0, show.Err);
        Assert.Contains("left out of the importance, as conditional (only the runs that read them have them): momentum (read where optimizer = momentum), beta1 (read where optimizer = adam)", show.Out, StringComparison.Ordinal);
    }
}
