using System.Text.Json.Nodes;
using OpenQA.Selenium;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>Two finished sweeps compared: on the page (reached from the sweeps list) and with `excl compare`, against one
/// real silo process; the second sweep is warm-started from the first.</summary>
public sealed class CompareViewTests(WebSiloFixture fixture) : IClassFixture<WebSiloFixture>
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);

    private WebSilo Silo => fixture.Silo;

    /// <summary>The sweeps "cmp-a" (0.01, 0.1, 100) and "cmp-b" (0.03, 0.1, warm-started from cmp-a), both finished.</summary>
    private async Task<(string AnswerA, string AnswerB)> TwoFinishedSweepsAsync()
    {
        if (!await ExistsAsync("cmp-a"))
            await WebSilo.SubmitAsync(Silo.Http, "cmp-a", Sweeps.Tiny("compare a"));
        await WebSilo.WaitForSweepAsync(Silo.Http, "cmp-a", s => (string?)s["status"] == "completed", Long);
        if (!await ExistsAsync("cmp-b"))
        {
            var b = JsonNode.Parse(Sweeps.Tiny("compare b"))!;
            b["search"]!["space"]!["learning_rate"]!["values"] = new JsonArray(0.03, 0.1);
            b["warm_start"] = new JsonObject { ["sweeps"] = new JsonArray("cmp-a") };
            await WebSilo.SubmitAsync(Silo.Http, "cmp-b", b.ToJsonString());
        }
        await WebSilo.WaitForSweepAsync(Silo.Http, "cmp-b", s => (string?)s["status"] == "completed", Long);
        async Task<string> Answer(string id) => (string)JsonNode.Parse(await Silo.Http.GetStringAsync($"/api/sweeps/{id}"))!["answer"]!;
        return (await Answer("cmp-a"), await Answer("cmp-b"));
    }

    private async Task<bool> ExistsAsync(string id) => (await Silo.Http.GetAsync($"/api/sweeps/{id}")).IsSuccessStatusCode;

    [Fact]
    public async Task The_compare_view_reached_from_the_sweeps_list_draws_one_best_so_far_curve_per_sweep_and_both_answers()
    {
        var (answerA, answerB) = await TwoFinishedSweepsAsync();
        using var browser = new Browser();
        browser.Open(Silo.BaseAddress);
        foreach (var id in new[] { "cmp-a", "cmp-b" })
            browser.Until(d => d.FindElement(By.CssSelector($"input.compare-pick[data-sweep='{id}']")), "the tick box of " + id).Click();
        browser.Until(d => d.FindElement(By.Id("compare-link")), "the compare link").Click();

        browser.Until(d => d.Url.Contains("#/compare/", StringComparison.Ordinal), "the compare route");
        Assert.Equal(2, browser.UntilNumber("return Number(document.getElementById('compare-curves').dataset.series || 0)", n => n > 0, "the curves"));
        Assert.True(browser.Number("return Number(document.getElementById('compare-curves').dataset.points || 0)") >= 2, "the curves have points");
        // Each curve is drawn as steps: every segment is level or vertical (the best changes only when a run ends).
        var sloped = browser.Driver.ExecuteScript("""
            return document.getElementById('compare-curves').chart.series.flatMap((s) =>
              s.points.slice(1).filter((p, i) => p[0] !== s.points[i][0] && p[1] !== s.points[i][1]).map((p) => p.join(' '))).join('; ');
            """);
        Assert.Equal("", sloped);
        var answers = browser.Until(d => d.FindElements(By.CssSelector("#compare-answers .compare-answer")), "the answers");
        Assert.Equal(["cmp-a", "cmp-b"], answers.Select(a => a.GetAttribute("data-sweep")));
        Assert.Equal(answerA, answers[0].FindElement(By.CssSelector(".answer")).Text);
        Assert.Equal(answerB, answers[1].FindElement(By.CssSelector(".answer")).Text);
        Assert.Contains("runs reused (warm start)", answers[1].Text, StringComparison.Ordinal);

        // The per-value rows are aligned: 0.03 only in b, 100 only in a (where it diverged), 0.1 in both.
        var rows = browser.Driver.FindElements(By.CssSelector("#compare-values tbody tr"));
        Assert.Equal(["0.01", "0.03", "0.1", "100"], rows.Select(r => r.GetAttribute("data-value")));
        var hundred = rows[3].FindElements(By.TagName("td"));
        Assert.Equal("no finished run", hundred[2].Text);
        Assert.Equal("—", rows[1].FindElements(By.TagName("td"))[2].Text);
        Assert.DoesNotMatch("undefined|NaN", browser.Driver.FindElement(By.Id("main")).Text);
        browser.Screenshot("compare");
    }

    [Fact]
    public async Task Excl_compare_prints_each_sweeps_answer_and_curve_and_the_aligned_rows_and_json_with_both_curves()
    {
        var (answerA, answerB) = await TwoFinishedSweepsAsync();
        var text = await Programs.ExclAsync(Silo.Folder, Long, "compare", "cmp-a", "cmp-b", "--gateway", Silo.Gateway);
        Assert.True(text.Code == 0, $"exit {text.Code}\n{text.Out}\n{text.Err}");
        // Each answer without its own next step, which names the default data folder and so fails against a cluster.
        Assert.Contains("  answer: " + ExperimentCluster.Tuning.SweepAnswer.WithoutNextStep(answerA), text.Out, StringComparison.Ordinal);
        Assert.Contains("  answer: " + ExperimentCluster.Tuning.SweepAnswer.WithoutNextStep(answerB), text.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("next: excl refine", text.Out, StringComparison.Ordinal);
        Assert.Equal(2, text.Out.Split('\n').Count(l => l.StartsWith("  best so far (epochs: loss): ", StringComparison.Ordinal)));
        Assert.Contains("runs reused (warm start)", text.Out, StringComparison.Ordinal);

        var json = await Programs.ExclAsync(Silo.Folder, Long, "compare", "cmp-a", "cmp-b", "--gateway", Silo.Gateway, "--json");
        Assert.True(json.Code == 0, json.Err);
        var comparison = JsonNode.Parse(json.Out)!;
        var sweeps = comparison["sweeps"]!.AsArray();
        Assert.Equal(["cmp-a", "cmp-b"], sweeps.Select(s => (string?)s!["id"]));
        Assert.All(sweeps, s => Assert.NotEmpty(s!["curve"]!.AsArray()));
        // cmp-b starts from cmp-a's best (0.1, reused) at 0 epochs.
        Assert.Equal(0, (double)sweeps[1]!["curve"]![0]![0]!);
        Assert.Equal(4, comparison["per_value"]!.AsArray().Count);

        var missing = await Programs.ExclAsync(Silo.Folder, Long, "compare", "cmp-a", "nope", "--gateway", Silo.Gateway);
        Assert.Equal(2, missing.Code);
        Assert.Contains("no sweep 'nope'", missing.Err, StringComparison.Ordinal);
        var one = await Programs.ExclAsync(Silo.Folder, Long, "compare", "cmp-a", "--gateway", Silo.Gateway);
        Assert.Equal(2, one.Code);
        Assert.Equal("excl compare: ID: give 2 to 8 sweep ids to compare, not 1", one.Err.Trim());
    }
}
