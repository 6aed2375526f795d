using System.Text.Json.Nodes;
using OpenQA.Selenium;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>The page's pause, resume and per-run retry buttons in a real browser against a real silo process.</summary>
public sealed class PauseRetryPageTests(WebSiloFixture fixture) : IClassFixture<WebSiloFixture>
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);

    private WebSilo Silo => fixture.Silo;

    [Fact]
    public async Task The_pause_button_pauses_the_sweep_its_runs_stop_training_and_resume_continues_it()
    {
        await WebSilo.SubmitAsync(Silo.Http, "pausepage", Sweeps.Watchable("pause me"));
        await WebSilo.WaitForSweepAsync(Silo.Http, "pausepage", s => (long)s["epochs_reported"]! > 1, Long);
        using var browser = new Browser();
        browser.Open(new Uri(Silo.BaseAddress, "/#/sweep/pausepage"));
        browser.Until(d => d.FindElement(By.Id("sweep-title")).Text == "pause me", "the sweep page");
        browser.Until(d => d.FindElement(By.Id("pause")).Enabled, "the pause button enabled while the sweep runs");

        browser.Driver.FindElement(By.Id("pause")).Click();
        browser.Until(d => d.FindElements(By.CssSelector(".facts [data-status='paused']")).Count > 0, "the sweep shown as paused");
        var paused = await WebSilo.WaitForSweepAsync(Silo.Http, "pausepage",
            s => s["counts"]!["running"] is null && s["counts"]!["queued"] is null && s["counts"]!["paused"] is not null, Long);
        Assert.Equal("paused", (string?)paused["status"]);
        Assert.False(browser.Driver.FindElement(By.Id("pause")).Enabled);
        // Nothing trains while paused: the count stays put over several of the page's refreshes.
        var epochs = (long)paused["epochs_reported"]!;
        browser.Driver.ExecuteScript("window.__ticks = 0; setInterval(() => window.__ticks++, 500)");
        browser.UntilNumber("return window.__ticks", n => n >= 6, "three seconds of the page polling");
        var still = JsonNode.Parse(await Silo.Http.GetStringAsync("/api/sweeps/pausepage"))!["sweep"]!;
        Assert.Equal((epochs, "paused"), ((long)still["epochs_reported"]!, (string?)still["status"]));
        browser.Screenshot("sweep-paused");

        browser.Driver.FindElement(By.Id("resume")).Click();
        browser.Until(d => d.FindElement(By.Id("action-note")).Text == "resumed", "the resume action's answer");
        await WebSilo.WaitForSweepAsync(Silo.Http, "pausepage", s => (string?)s["status"] == "running" && (long)s["epochs_reported"]! > epochs, Long);

        await Silo.Http.PostAsync("/api/sweeps/pausepage/cancel", null);
    }

    [Fact]
    public async Task A_finished_runs_retry_button_reopens_the_sweep_and_trains_it_again_as_a_second_attempt_the_first_kept()
    {
        await WebSilo.SubmitAsync(Silo.Http, "retrypage", Sweeps.Tiny("retry me"));
        await WebSilo.WaitForSweepAsync(Silo.Http, "retrypage", s => (string?)s["status"] == "completed", Long);
        using var browser = new Browser();
        browser.Open(new Uri(Silo.BaseAddress, "/#/sweep/retrypage"));
        // The third run (learning rate 100) diverged: its row has a retry button, which trains it again as attempt 2.
        var retry = browser.Until(d => d.FindElement(By.CssSelector("#leaderboard [data-retry='2']")), "the diverged run's retry button");
        retry.Click();
        browser.Until(d => d.FindElement(By.Id("action-note")).Text == "run 2 retried as a new attempt", "the retry action's answer");
        var deadline = DateTime.UtcNow + Long;
        JsonNode run;
        while (true)
        {
            run = JsonNode.Parse(await Silo.Http.GetStringAsync("/api/sweeps/retrypage/runs/2"))!;
            if ((int)run["run"]!["attempt"]! == 2 && (string?)run["run"]!["status"] == "diverged")
                break;
            Assert.True(DateTime.UtcNow < deadline, "run 2's second attempt never diverged: " + run["run"]!.ToJsonString());
            await Task.Delay(Programs.PollInterval);
        }
        Assert.Equal("diverged", (string?)run["earlier_attempts"]![0]!["status"]);
        await WebSilo.WaitForSweepAsync(Silo.Http, "retrypage", s => (string?)s["status"] == "completed", Long);

        // The run's page lists the earlier attempt.
        browser.Open(new Uri(Silo.BaseAddress, "/#/sweep/retrypage/run/2"));
        browser.Until(d => d.FindElements(By.CssSelector("#run-facts .earlier-attempt[data-attempt='1'] [data-status='diverged']")).Count == 1, "the first attempt on the run's page");
    }
}
