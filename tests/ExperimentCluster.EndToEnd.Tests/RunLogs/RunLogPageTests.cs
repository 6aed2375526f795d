using ExperimentCluster.EndToEnd.Tests.Web;
using OpenQA.Selenium;

namespace ExperimentCluster.EndToEnd.Tests.RunLogs;

/// <summary>The run page's Log panel in a real headless Chromium, served by `excl run --http` while a command run runs.</summary>
public sealed class RunLogPageTests
{
    private const string LogText = "return document.getElementById('run-log').textContent";

    [Fact]
    public async Task The_run_page_shows_the_runs_output_as_text_says_what_was_dropped_and_follows_new_lines_until_the_run_ends()
    {
        using var sweep = LoggingSweepProcess.Start("page", runs: 2, epochs: 3, chatty: true, keptChars: 1024);
        // Standard error is read apart from standard output: its line may have come before filler lines that pushed it out.
        await sweep.WaitForLogAsync(0, "line of epoch 1", LogScript.HostileLine);
        using var browser = new Browser();

        browser.Open(new Uri(sweep.BaseAddress, "/#/sweep/page/run/0"));
        browser.Until(_ => Shown(browser).Contains(LogScript.HostileLine, StringComparison.Ordinal), "the output so far in the Log panel");
        var shown = Shown(browser);
        // The script tag and the image are text: nothing in the panel is an element, nothing ran.
        Assert.Contains(LogScript.HostileLine, shown, StringComparison.Ordinal);
        Assert.Equal(0L, browser.Number("return document.querySelectorAll('#run-log *').length"));
        Assert.Equal(true, browser.Driver.ExecuteScript("return window.__xss === undefined"));
        // The silo kept the newest 1,024 characters: the page says the rest was dropped.
        Assert.DoesNotContain("filler 000", shown, StringComparison.Ordinal);
        Assert.Contains("Older output was dropped", browser.Driver.FindElement(By.Id("log-note")).Text, StringComparison.Ordinal);
        browser.Screenshot("run-log-running");

        LogScript.Open(sweep.Folder, 0);
        browser.Until(_ => Shown(browser).Contains("line of epoch 3", StringComparison.Ordinal), "the later epochs' lines, without reloading the page");
        browser.Until(d => d.FindElements(By.CssSelector("#run-facts [data-status='completed']")).Count > 0, "the run shown as completed");
        var lines = Shown(browser).Split('\n');
        Assert.Equal(["line of epoch 1", "line of epoch 2", "line of epoch 3"], lines.Where(l => l.StartsWith("line of epoch", StringComparison.Ordinal)));
        browser.Screenshot("run-log-finished");
        Assert.Equal(0, await sweep.FinishAsync(runs: 2));
    }

    private static string Shown(Browser browser) => (string?)browser.Driver.ExecuteScript(LogText) ?? "";
}
