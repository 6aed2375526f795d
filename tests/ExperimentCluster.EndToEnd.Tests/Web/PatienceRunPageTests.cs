using System.Text.Json.Nodes;
using OpenQA.Selenium;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>A run that patience ended: the API and its page say which epoch's weights it ended with, and the page marks
/// that epoch on the curve.</summary>
public sealed class PatienceRunPageTests(WebSiloFixture fixture) : IClassFixture<WebSiloFixture>
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_run_ended_by_patience_shows_its_model_epoch_in_the_api_and_on_its_page()
    {
        var silo = fixture.Silo;
        await WebSilo.SubmitAsync(silo.Http, "patience", """
            {
              "training": { "dataset": "diabetes", "layers": [32], "optimizer": "adam", "batch_size": 16, "epochs": 30, "patience": 4 },
              "seeds": [1],
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.05] } } }
            }
            """);
        await WebSilo.WaitForSweepAsync(silo.Http, "patience", s => (string?)s["status"] == "completed", Long);
        var run = JsonNode.Parse(await silo.Http.GetStringAsync("/api/sweeps/patience/runs/0"))!;
        var epochs = run["epochs"]!.AsArray().Select(e => (Epoch: (int)e!["epoch"]!, ValLoss: (double)e["val_loss"]!)).ToList();
        var best = epochs.MinBy(e => e.ValLoss);
        Assert.Equal(best.Epoch, (int?)run["run"]!["model_epoch"]);
        Assert.Equal(best.ValLoss, (double?)run["run"]!["final_val_loss"]);
        Assert.Equal(best.Epoch + 4, epochs.Count);
        using var browser = new Browser();

        browser.Open(new Uri(silo.BaseAddress, "/#/sweep/patience/run/0"));

        var facts = browser.Until(d => d.FindElement(By.Id("run-facts")).Text is var t && t.Contains("patience", StringComparison.Ordinal) ? t : null, "the run's page");
        Assert.Contains($"epoch {best.Epoch}'s weights, its lowest validation loss (patience)", facts, StringComparison.Ordinal);
        Assert.Contains("ended by patience", facts, StringComparison.Ordinal);
        browser.Until(_ => browser.Number("return Number(document.getElementById('run-curve').dataset.markers || 0)") == 1, "the model epoch's marker");
        browser.Screenshot("run-patience");
    }
}
