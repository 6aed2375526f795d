using System.Net;
using System.Text.Json.Nodes;
using OpenQA.Selenium;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>DELETE /api/sweeps/{id} and the sweep page's Delete button, in a real browser against a real silo process.</summary>
public sealed class DeleteSweepPageTests(WebSiloFixture fixture) : IClassFixture<WebSiloFixture>
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);

    private WebSilo Silo => fixture.Silo;

    [Fact]
    public async Task The_delete_button_is_hidden_while_the_sweep_runs_asks_once_and_after_yes_the_sweep_is_gone_and_the_list_shows()
    {
        await WebSilo.SubmitAsync(Silo.Http, "deletepage", Sweeps.Tiny("delete me"));
        await WebSilo.SubmitAsync(Silo.Http, "deletepage-running", Sweeps.Watchable("still running"));
        await WebSilo.WaitForSweepAsync(Silo.Http, "deletepage", s => (string?)s["status"] == "completed", Long);
        using var browser = new Browser();

        browser.Open(new Uri(Silo.BaseAddress, "/#/sweep/deletepage-running"));
        browser.Until(d => d.FindElement(By.Id("sweep-title")).Text == "still running", "the running sweep's page");
        Assert.False(browser.Driver.FindElement(By.Id("delete")).Displayed);

        browser.Open(new Uri(Silo.BaseAddress, "/#/sweep/deletepage"));
        browser.Until(d => d.FindElement(By.Id("sweep-title")).Text == "delete me", "the finished sweep's page");
        var delete = browser.Until(d => d.FindElement(By.Id("delete")) is { Displayed: true } b ? b : null, "the delete button of a finished sweep")!;
        // No: nothing happens.
        delete.Click();
        var question = browser.Until(Confirmation, "the confirmation")!;
        Assert.Equal("Delete sweep deletepage and its 3 runs? This cannot be undone.", question.Text);
        question.Dismiss();
        Assert.Equal(HttpStatusCode.OK, (await Silo.Http.GetAsync("/api/sweeps/deletepage")).StatusCode);

        delete.Click();
        browser.Until(Confirmation, "the confirmation again")!.Accept();
        // Back on the list, which no longer has it; the API says it is gone.
        browser.Until(d => d.Url.EndsWith("#/", StringComparison.Ordinal) && d.FindElements(By.LinkText("still running")).Count > 0, "the list of sweeps");
        Assert.Empty(browser.Driver.FindElements(By.LinkText("delete me")));
        Assert.Equal(HttpStatusCode.NotFound, (await Silo.Http.GetAsync("/api/sweeps/deletepage")).StatusCode);
        browser.Screenshot("sweep-deleted");

        await Silo.Http.PostAsync("/api/sweeps/deletepage-running/cancel", null);
    }

    [Fact]
    public async Task The_API_answers_404_for_an_unknown_sweep_409_for_a_running_one_and_200_with_what_was_removed()
    {
        var unknown = await Silo.Http.DeleteAsync("/api/sweeps/no-such-sweep");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("id: no sweep 'no-such-sweep'", (string?)JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["error"]);

        await WebSilo.SubmitAsync(Silo.Http, "deleteapi", Sweeps.Watchable("delete by api"));
        await WebSilo.WaitForSweepAsync(Silo.Http, "deleteapi", s => (long)s["epochs_reported"]! > 0, Long);
        var running = await Silo.Http.DeleteAsync("/api/sweeps/deleteapi");
        Assert.Equal(HttpStatusCode.Conflict, running.StatusCode);
        Assert.Equal("status: the sweep is running; cancel or pause it first", (string?)JsonNode.Parse(await running.Content.ReadAsStringAsync())!["error"]);
        Assert.Equal("running", (string?)JsonNode.Parse(await Silo.Http.GetStringAsync("/api/sweeps/deleteapi"))!["sweep"]!["status"]);

        await Silo.Http.PostAsync("/api/sweeps/deleteapi/cancel", null);
        var cancelled = await WebSilo.WaitForSweepAsync(Silo.Http, "deleteapi", s => (string?)s["status"] == "cancelled", Long);
        var deleted = await Silo.Http.DeleteAsync("/api/sweeps/deleteapi");
        var body = await deleted.Content.ReadAsStringAsync();
        Assert.True(deleted.StatusCode == HttpStatusCode.OK, body);
        var removed = JsonNode.Parse(body)!;
        Assert.Equal(cancelled["counts"]!.AsObject().Sum(c => (int)c.Value!), (int)removed["runs"]!);
        Assert.True((long)removed["epochs"]! > 0, body);
        Assert.Equal(HttpStatusCode.NotFound, (await Silo.Http.GetAsync("/api/sweeps/deleteapi")).StatusCode);
        Assert.DoesNotContain("deleteapi", await Silo.Http.GetStringAsync("/api/sweeps"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Silo.Http.DeleteAsync("/api/sweeps/deleteapi")).StatusCode);
    }

    /// <summary>The page's confirm() dialog, once it is open.</summary>
    private static IAlert? Confirmation(IWebDriver driver)
    {
        try
        {
            return driver.SwitchTo().Alert();
        }
        catch (NoAlertPresentException)
        {
            return null;
        }
    }
}
