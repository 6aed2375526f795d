using System.Text.Json.Nodes;
using OpenQA.Selenium;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>A grid over the optimizer and a momentum only one of its optimizers reads, against a real silo process: the
/// sweep trains each distinct run once (8, not the 12 grid numbers), a run's configuration holds momentum exactly where it
/// is read, and the page's parallel coordinates give the other runs a "not read" place on the momentum axis.</summary>
public sealed class ConditionalSweepTests(WebSiloFixture fixture) : IClassFixture<WebSiloFixture>
{
    private const string Sweep = """
        { "name": "conditional",
          "training": { "dataset": "iris", "layers": [8], "batch_size": 16, "epochs": 3 },
          "search": { "strategy": "grid", "space": {
            "optimizer": { "values": ["sgd", "momentum", "adam"] },
            "momentum": { "values": [0.5, 0.9] },
            "learning_rate": { "values": [0.01, 0.1] } } } }
        """;

    [Fact]
    public async Task Each_distinct_run_trains_once_and_the_page_shows_where_momentum_is_not_read()
    {
        var silo = fixture.Silo;
        await WebSilo.SubmitAsync(silo.Http, "conditional", Sweep);
        await WebSilo.WaitForSweepAsync(silo.Http, "conditional", s => (string?)s["status"] == "completed", TimeSpan.FromMinutes(3));

        var sweep = JsonNode.Parse(await silo.Http.GetStringAsync("/api/sweeps/conditional"))!;
        var runs = sweep["leaderboard"]!.AsArray();
        // The axis says where momentum is read, and the importance leaves it out.
        var axes = sweep["insight"]!["axes"]!.AsArray();
        Assert.Equal("optimizer = momentum", (string?)axes.Single(a => (string?)a!["name"] == "momentum")!["when"]);
        Assert.Null(axes.Single(a => (string?)a!["name"] == "optimizer")!["when"]);
        Assert.DoesNotContain("momentum", sweep["insight"]!["importance"]!["parameters"]!.AsArray().Select(p => (string?)p!["parameter"]));
        Assert.Equal(8, runs.Count);
        var configs = runs.Select(r => r!["config"]!.AsObject()).ToList();
        // Values as their JSON text, as the API gives a configuration.
        Assert.All(configs, c => Assert.Equal((string?)c["optimizer"] == "\"momentum\"", c.ContainsKey("momentum")));
        Assert.Equal(8, configs.Select(c => c.ToJsonString()).Distinct().Count());

        using var browser = new Browser();
        browser.Open(new Uri(silo.BaseAddress, "/#/sweep/conditional"));
        browser.UntilNumber("return Number(document.getElementById('parallel').dataset.lines || 0)", n => n == 8, "one line per run");
        var ticks = JsonNode.Parse((string)browser.Driver.ExecuteScript("return document.getElementById('parallel').dataset.ticks")!)!;
        Assert.Equal(["0.5", "0.9", "not read"], ticks["momentum"]!.AsArray().Select(t => (string?)t));
        Assert.DoesNotContain("not read", ticks["optimizer"]!.AsArray().Select(t => (string?)t));
        browser.Until(d => d.FindElement(By.Id("importance-note")) is var note && note.Text.Contains("Left out, as conditional", StringComparison.Ordinal) ? note : null, "the importance's note");
        Assert.Contains("momentum (read where optimizer = momentum)", browser.Driver.FindElement(By.Id("importance-note")).Text, StringComparison.Ordinal);
        browser.Screenshot("conditional-parallel");
    }
}
