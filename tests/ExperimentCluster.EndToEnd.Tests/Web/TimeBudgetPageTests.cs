using System.Text.Json.Nodes;
using OpenQA.Selenium;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>A sweep that its time budget ended: the API and its page give the budget, the time used and the reason.</summary>
public sealed class TimeBudgetPageTests(WebSiloFixture fixture) : IClassFixture<WebSiloFixture>
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_sweep_ended_by_its_time_budget_shows_the_budget_the_time_used_and_why_it_ended()
    {
        var silo = fixture.Silo;
        await WebSilo.SubmitAsync(silo.Http, "timed", """
            {
              "training": { "dataset": "digits", "layers": [256, 256], "optimizer": "sgd", "epochs": 30 },
              "search": { "strategy": "random", "trials": 200, "space": { "learning_rate": { "log_uniform": [0.001, 0.3] } } },
              "time_budget": "2s",
              "concurrency": 2
            }
            """);
        var sweep = await WebSilo.WaitForSweepAsync(silo.Http, "timed", s => (string?)s["status"] == "completed", Long);
        Assert.StartsWith("its time budget (2s) ran out", (string?)sweep["reason"], StringComparison.Ordinal);
        var results = JsonNode.Parse(await silo.Http.GetStringAsync("/api/sweeps/timed"))!;
        Assert.Equal(2, (double)results["time_budget"]!["budget_seconds"]!);
        Assert.True((double)results["time_budget"]!["used_seconds"]! >= 2);
        using var browser = new Browser();

        browser.Open(new Uri(silo.BaseAddress, "/#/sweep/timed"));

        var budget = browser.Until(d => d.FindElements(By.Id("time-budget")).FirstOrDefault()?.Text, "the time budget on the sweep's page");
        Assert.Matches(@"^time budget\s+2s, \d+s used$", budget);
        Assert.Contains("its time budget (2s) ran out", browser.Driver.FindElement(By.Id("sweep-reason")).Text, StringComparison.Ordinal);
        browser.Screenshot("sweep-time-budget");
    }
}
