using OpenQA.Selenium;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>The sweep page's Edits card in a real headless Chromium against a real silo process.</summary>
public sealed class SweepEditPageTests(WebSiloFixture fixture) : IClassFixture<WebSiloFixture>
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);

    private WebSilo Silo => fixture.Silo;

    [Fact]
    public async Task The_page_lists_the_edit_events_marks_the_run_left_outside_and_edits_through_its_form()
    {
        await WebSilo.SubmitAsync(Silo.Http, "page-edit", EditSweeps.LongGrid("edited on the page"));
        await WebSilo.WaitForSweepAsync(Silo.Http, "page-edit", s => s["counts"]!.AsObject().Count > 0, Long);
        var patched = await EditSweeps.PatchAsync(Silo.Http, "page-edit", """{ "search": { "space": { "learning_rate": { "remove": [0.001] } } } }""");
        Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync());
        using var browser = new Browser();

        browser.Open(new Uri(Silo.BaseAddress, "/#/sweep/page-edit"));
        browser.Until(d => d.FindElements(By.CssSelector("#edit-events tr.edit-event")).Count == 1, "the edit in the Edits list");
        // Read in one script: the list is redrawn on every poll, so an element found earlier may be gone.
        const string rows = "return [...document.querySelectorAll('#edit-events tr.edit-event')].map((r) => r.textContent).join('\\n')";
        var row = (string)browser.Driver.ExecuteScript(rows)!;
        Assert.Contains("search.space.learning_rate", row, StringComparison.Ordinal);
        Assert.Contains("{\"values\":[0.001,0.01,0.1,0.3]}", row, StringComparison.Ordinal);
        Assert.Contains("{\"values\":[0.01,0.1,0.3]}", row, StringComparison.Ordinal);
        // Run 0 (rate 0.001) started before the edit: kept, and marked as outside the current space.
        browser.Until(d => d.FindElements(By.CssSelector("#leaderboard tr.run-row[data-run='0'] .outside-tag")).Count == 1, "run 0 marked outside");
        Assert.EndsWith("(kept in the history): 0", (string)browser.Driver.ExecuteScript("return document.getElementById('edit-outside').textContent")!, StringComparison.Ordinal);
        browser.Screenshot("sweep-edits");

        // The form: a bad value answers the sweep's error naming the field; a good one adds an event.
        var concurrency = browser.Driver.FindElement(By.CssSelector("#edit-form input[name='concurrency']"));
        concurrency.SendKeys("0");
        browser.Driver.FindElement(By.Id("edit-submit")).Click();
        browser.Until(d => d.FindElement(By.Id("edit-message")).Text.StartsWith("concurrency: must be between 1 and", StringComparison.Ordinal), "the form's error");
        concurrency.Clear();
        concurrency.SendKeys("2");
        browser.Driver.FindElement(By.Id("edit-submit")).Click();
        browser.Until(d => d.FindElements(By.CssSelector("#edit-events tr.edit-event")).Count == 2, "the form's edit in the list");
        Assert.Contains("concurrency12", ((string)browser.Driver.ExecuteScript(rows)!).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        // A time budget, written as in the sweep file (the form is rebuilt after an edit: found again).
        browser.Until(d => d.FindElements(By.CssSelector("#edit-form input[name='time_budget']")).Count == 1, "the time budget field");
        browser.Driver.FindElement(By.CssSelector("#edit-form input[name='time_budget']")).SendKeys("5h");
        browser.Driver.FindElement(By.Id("edit-submit")).Click();
        browser.Until(d => d.FindElements(By.CssSelector("#edit-events tr.edit-event")).Count == 3, "the time budget's edit in the list");
        var budgetRow = ((string)browser.Driver.ExecuteScript(rows)!).Split('\n')[^1];
        Assert.Contains("time_budget", budgetRow, StringComparison.Ordinal);
        Assert.Contains("\"5h\"", budgetRow, StringComparison.Ordinal);
        Assert.DoesNotMatch("undefined|NaN", (string)browser.Driver.ExecuteScript("return document.getElementById('edits').textContent")!);

        Assert.True((await Silo.Http.PostAsync("/api/sweeps/page-edit/cancel", null)).IsSuccessStatusCode);
        browser.Until(d => d.FindElement(By.Id("edit-form")).Text.Contains("Only a running sweep can be edited", StringComparison.Ordinal), "the form gone once the sweep ended");
    }
}
