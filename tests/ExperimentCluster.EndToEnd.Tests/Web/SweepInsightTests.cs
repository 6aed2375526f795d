using System.Globalization;
using System.Text.Json.Nodes;
using OpenQA.Selenium;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>"Why this configuration won" against a real silo process: the API's importance and best-so-far, `excl show`,
/// and the sweep page's parallel coordinates, importance bars and best-so-far curve in a real headless Chromium.</summary>
public sealed class SweepInsightTests(WebSiloFixture fixture) : IClassFixture<WebSiloFixture>, IAsyncLifetime
{
    private const string Id = "why";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    private WebSilo Silo => fixture.Silo;

    /// <summary>Seconds: iris, random search over a log-scaled learning rate up to 300 (sgd diverges at the high end)
    /// and two architectures; twelve runs, enough for the importance.</summary>
    private static string Mixed(string name) => new JsonObject
    {
        ["name"] = name,
        ["training"] = new JsonObject { ["dataset"] = "iris", ["optimizer"] = "sgd", ["batch_size"] = 16, ["epochs"] = 4 },
        ["search"] = new JsonObject
        {
            ["strategy"] = "random",
            ["trials"] = 12,
            ["seed"] = 3,
            ["space"] = new JsonObject
            {
                ["learning_rate"] = new JsonObject { ["log_uniform"] = new JsonArray(0.001, 300) },
                ["layers"] = new JsonObject { ["values"] = new JsonArray(new JsonArray(4), new JsonArray(16)) },
            },
        },
        ["concurrency"] = 3,
    }.ToJsonString();

    public async Task InitializeAsync()
    {
        // Each test of the class reads the same finished sweep; the first to start submits it.
        if ((await Silo.Http.GetAsync($"/api/sweeps/{Id}")).StatusCode == System.Net.HttpStatusCode.NotFound)
            await WebSilo.SubmitAsync(Silo.Http, Id, Mixed("why <b>this</b> won"));
        await WebSilo.WaitForSweepAsync(Silo.Http, Id, s => (string?)s["status"] == "completed", Long);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonNode> ResultsAsync() => JsonNode.Parse(await Silo.Http.GetStringAsync($"/api/sweeps/{Id}"))!;

    [Fact]
    public async Task The_api_gives_each_swept_parameter_a_share_of_the_importance_the_axes_and_a_best_so_far_per_run()
    {
        var results = await ResultsAsync();
        var insight = results["insight"]!;

        var importance = insight["importance"]!;
        Assert.Equal("ped-anova", (string?)importance["method"]);
        Assert.Null((string?)importance["reason"]);
        var shares = importance["parameters"]!.AsArray().ToDictionary(p => (string)p!["parameter"]!, p => (double)p!["share"]!);
        Assert.Equal(["layers", "learning_rate"], shares.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1.0, shares.Values.Sum(), 9);
        Assert.DoesNotContain("seed", shares.Keys);

        var axes = insight["axes"]!.AsArray().ToDictionary(a => (string)a!["name"]!, a => (string)a!["scale"]!);
        Assert.Equal("log", axes["learning_rate"]);
        Assert.Equal("values", axes["layers"]);

        // One point per run in start order; the epochs add up to the runs' epochs; the best never rises.
        var runs = results["leaderboard"]!.AsArray();
        var curve = insight["best_so_far"]!.AsArray();
        Assert.Equal(runs.Count, curve.Count);
        Assert.Equal(Enumerable.Range(0, runs.Count), curve.Select(p => (int)p!["run"]!));
        Assert.Equal(runs.Sum(r => (int)r!["epochs"]!), (int)curve[^1]!["epochs_consumed"]!);
        var bests = curve.Select(p => (double?)p!["best_final_val_loss"]).Where(b => b is not null).Select(b => b!.Value).ToList();
        Assert.All(bests.Zip(bests.Skip(1)), pair => Assert.True(pair.Second <= pair.First, $"{pair.Second} after {pair.First}"));
        Assert.Equal(runs.Where(r => (string?)r!["status"] == "completed").Min(r => (double)r!["final_val_loss"]!), bests[^1]);

        // The answer's "mattered most" is the importance's first parameter.
        var top = shares.MaxBy(kv => kv.Value).Key;
        Assert.Contains($"mattered most (importance): {top} ", (string)results["answer"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Excl_show_prints_the_importance_table_and_its_json_carries_the_shares()
    {
        var shares = (await ResultsAsync())["insight"]!["importance"]!["parameters"]!.AsArray();

        var table = await Programs.ExclAsync(Silo.Folder, Long, "show", Id, "--gateway", Silo.Gateway);
        Assert.True(table.Code == 0, $"exit {table.Code}\n{table.Out}\n{table.Err}");
        // The title on one line: it once wrapped over two, longer than its table.
        Assert.Contains("What mattered (ped-anova importance)", table.Out, StringComparison.Ordinal);
        foreach (var p in shares)
            Assert.Contains((100 * (double)p!["share"]!).ToString("0.0", CultureInfo.InvariantCulture) + "%", table.Out, StringComparison.Ordinal);

        var json = await Programs.ExclAsync(Silo.Folder, Long, "show", Id, "--json", "--gateway", Silo.Gateway);
        Assert.True(json.Code == 0, $"exit {json.Code}\n{json.Out}\n{json.Err}");
        var line = JsonNode.Parse(json.Out.Trim().Split('\n')[^1])!;
        Assert.Equal("ped-anova", (string?)line["importance"]!["method"]);
        Assert.Equal(shares.Select(p => (string?)p!["parameter"]), line["importance"]!["parameters"]!.AsArray().Select(p => (string?)p!["parameter"]));
    }

    [Fact]
    public async Task The_page_draws_one_line_per_run_marks_the_diverged_lists_the_importance_and_a_best_so_far_that_never_rises()
    {
        var results = await ResultsAsync();
        var runs = results["leaderboard"]!.AsArray();
        var diverged = runs.Count(r => (string?)r!["status"] == "diverged");
        Assert.True(diverged > 0, "the sweep was chosen so that high learning rates diverge");
        using var browser = new Browser();

        browser.Open(new Uri(Silo.BaseAddress, $"/#/sweep/{Id}"));
        browser.Until(d => d.FindElement(By.Id("sweep-title")).Text == "why <b>this</b> won", "the sweep page, its name as text");

        browser.UntilNumber("return Number(document.getElementById('parallel').dataset.lines || 0)", n => n == runs.Count, "one line per run");
        Assert.Equal(diverged, browser.Number("return Number(document.getElementById('parallel').dataset.diverged)"));
        // learning_rate, layers and the final loss.
        Assert.Equal(3L, browser.Number("return Number(document.getElementById('parallel').dataset.axes)"));
        // A list axis bottom to top in the order of its numbers, as the per-value summaries list it (by text, [16] came first).
        var ticks = JsonNode.Parse((string)browser.Driver.ExecuteScript("return document.getElementById('parallel').dataset.ticks")!)!;
        Assert.Equal(["[4]", "[16]"], ticks["layers"]!.AsArray().Select(t => (string?)t));

        var listed = browser.Until(d => d.FindElements(By.CssSelector("#importance li")) is { Count: 2 } items ? items : null, "the importance list")!;
        Assert.Equal(["layers", "learning_rate"], listed.Select(li => li.GetAttribute("data-parameter")).Order(StringComparer.Ordinal));
        Assert.All(listed, li => Assert.Matches("[0-9.]+%$", li.Text));

        var bests = browser.Until(d => (d as IJavaScriptExecutor)!.ExecuteScript("""
            const chart = document.getElementById('best-so-far').chart;
            return chart.series.length ? chart.series[0].points.map((p) => p[1]) : null;
            """) as IReadOnlyCollection<object>, "the best-so-far curve")!.Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(bests);
        Assert.All(bests.Zip(bests.Skip(1)), pair => Assert.True(pair.Second <= pair.First, $"the curve rises from {pair.First} to {pair.Second}"));
        Assert.Equal(runs.Where(r => (string?)r!["status"] == "completed").Min(r => (double)r!["final_val_loss"]!), bests[^1], 9);
        Assert.True(browser.Number("return Number(document.getElementById('best-so-far').dataset.points || 0)") > 0, "the curve is drawn");
        // A range's buckets ("0.001..0.01") in the per-value card at its narrowest (the window just wide enough for two
        // columns): the table fits the card, the longest bar (the worst mean) keeps a bar's width (the table squeezed the
        // bar cells to slivers, or ran past the card), and nothing scrolls the page sideways.
        browser.Driver.Manage().Window.Size = new System.Drawing.Size(1210, 1100);
        browser.Until(_ => browser.Number("return document.querySelectorAll('#per-value .bar').length") > 0, "the per-value bars");
        Assert.Equal(true, browser.Driver.ExecuteScript(
            "const p = document.getElementById('per-value'); return p.scrollWidth <= p.clientWidth"));
        Assert.True(browser.Number("return Math.min(...[...document.querySelectorAll('#per-value .bar')].filter((b) => b.style.width === '100%').map((b) => b.getBoundingClientRect().width))") >= 40,
            "the longest bar of each parameter is at least 40 px wide");
        Assert.Equal(true, browser.Driver.ExecuteScript("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        browser.Driver.Manage().Window.Size = new System.Drawing.Size(1400, 1100);
        browser.Driver.ExecuteScript("document.getElementById('insight').scrollIntoView()");
        browser.Screenshot("sweep-insight");

        Assert.Equal(0L, browser.Number("return document.querySelectorAll('#sweep-title b, #insight b, #main script, #main img').length"));
        Assert.DoesNotMatch("undefined|NaN", browser.Driver.FindElement(By.Id("insight")).Text);
    }
}
