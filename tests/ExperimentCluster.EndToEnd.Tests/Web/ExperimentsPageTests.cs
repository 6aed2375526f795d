using System.Text.Json.Nodes;
using OpenQA.Selenium;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>The experiments page in a real headless Chromium against a real silo process, while sweeps train.</summary>
public sealed class ExperimentsPageTests(WebSiloFixture fixture) : IClassFixture<WebSiloFixture>
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);

    private WebSilo Silo => fixture.Silo;

    [Fact]
    public async Task The_page_shows_a_running_sweep_whose_curves_grow_marks_the_diverged_run_and_cancels_it()
    {
        await WebSilo.SubmitAsync(Silo.Http, "watch", Sweeps.Watchable("watch me"));
        await WebSilo.WaitForSweepAsync(Silo.Http, "watch", s => (long)s["epochs_reported"]! > 0, Long);
        using var browser = new Browser();

        browser.Open(Silo.BaseAddress);
        browser.Until(d => d.FindElements(By.CssSelector("#sweeps tr[data-sweep='watch'] .sweep-name")).Any(e => e.Text == "watch me"), "the sweep in the list");
        browser.Screenshot("sweeps-list");

        browser.Open(new Uri(Silo.BaseAddress, "/#/sweep/watch"));
        browser.Until(d => d.FindElement(By.Id("sweep-title")).Text == "watch me", "the sweep page");
        const string points = "return Number(document.getElementById('curves').dataset.points || 0)";
        var first = browser.UntilNumber(points, n => n > 0, "curves drawn");
        var grown = browser.UntilNumber(points, n => n > first, "curves that grow as epochs arrive");
        Assert.True(grown > first);

        // Read inside the wait: the page re-renders the leaderboard as it polls, so an element found a moment ago may be stale.
        var diverged = browser.Until(d => d.FindElement(By.CssSelector("#leaderboard [data-status='diverged']")).Text, "a diverged run in the leaderboard");
        Assert.Matches("diverged at epoch [0-9]+", diverged);
        // The page reads the API's snake_case keys: a key it misses shows as "undefined" in text, or as a dash for a number.
        browser.Until(d => d.FindElement(By.Id("per-value")).Text.Contains("learning_rate", StringComparison.Ordinal), "the per-value table");
        // Each number of the per-value tables (a mean, its "± sd", "finished / runs") holds together on one line, and the
        // tables fit their card (the card is narrow: "0.2697 ± 0.2272" broke into three lines).
        browser.Until(_ => browser.Number("return document.querySelectorAll('#per-value .nowrap').length") > 0, "the per-value numbers");
        Assert.Equal(true, browser.Driver.ExecuteScript(
            "return [...document.querySelectorAll('#per-value .nowrap')].every((e) => e.getClientRects().length === 1)"));
        Assert.Equal(true, browser.Driver.ExecuteScript(
            "const p = document.getElementById('per-value'); return p.scrollWidth <= p.clientWidth"));
        Assert.True(double.TryParse(browser.Driver.FindElement(By.Id("best")).Text, System.Globalization.CultureInfo.InvariantCulture, out _), "the best val loss is a number");
        Assert.DoesNotMatch("undefined|NaN", browser.Driver.FindElement(By.Id("main")).Text);
        browser.Until(_ => browser.Number("return Number(document.getElementById('lr-loss').dataset.markers || 0)") > 0, "points on learning rate vs loss");
        var tooltip = (string)browser.Driver.ExecuteScript("""
            const canvas = document.getElementById('curves');
            const hits = canvas.chart.hits, box = canvas.getBoundingClientRect();
            // The last point of a curve (markers such as a diverged run's x come after the curves).
            let i = hits.href.length - 1;
            while (i > 0 && !hits.href[i][0]) i--;
            canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: box.left + hits.hx[i], clientY: box.top + hits.hy[i], bubbles: true }));
            return document.getElementById('tooltip').textContent;
            """)!;
        Assert.Matches("run [0-9]+", tooltip);
        Assert.Contains("learning_rate = ", tooltip, StringComparison.Ordinal);
        Assert.Matches("val loss [0-9.e-]+ at epoch [0-9]+", tooltip);
        browser.Screenshot("sweep-running");

        // The log-scale toggle reaches the chart, both ways.
        const string yLog = "return document.getElementById('curves').chart.options.yLog";
        Assert.Equal(true, browser.Driver.ExecuteScript(yLog));
        browser.Driver.FindElement(By.Id("log-scale")).Click();
        Assert.Equal(false, browser.Driver.ExecuteScript(yLog));
        browser.Driver.FindElement(By.Id("log-scale")).Click();
        Assert.Equal(true, browser.Driver.ExecuteScript(yLog));

        // Download CSV: the page hands the browser a file named after the sweep, holding every epoch so far.
        browser.Driver.ExecuteScript("""
            window.__downloads = [];
            window.__blobs = [];
            const objectUrl = URL.createObjectURL;
            URL.createObjectURL = (blob) => { window.__blobs.push(blob); return objectUrl(blob); };
            HTMLAnchorElement.prototype.click = function () { window.__downloads.push({ name: this.download, href: this.href }); };
            """);
        browser.Driver.FindElement(By.Id("download-csv")).Click();
        browser.Until(_ => browser.Number("return window.__downloads.length") > 0, "the CSV download");
        Assert.Equal("watch.csv", browser.Driver.ExecuteScript("return window.__downloads[0].name"));
        var csv = (string)browser.Driver.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            window.__blobs[0].text().then(done);
            """)!;
        Assert.StartsWith("sweep,run,status", csv, StringComparison.Ordinal);
        Assert.Contains("\nwatch,", csv, StringComparison.Ordinal);

        // Resume on a running sweep wakes its runs (nothing to continue here, but the action answers).
        browser.Driver.FindElement(By.Id("resume")).Click();
        browser.Until(d => d.FindElement(By.Id("action-note")).Text == "resumed", "the resume action's answer");

        browser.Driver.FindElement(By.Id("cancel")).Click();
        browser.Until(d => d.FindElement(By.Id("cancel")).Text.Contains("Really", StringComparison.Ordinal), "the confirmation");
        browser.Driver.FindElement(By.Id("cancel")).Click();
        browser.Until(d => d.FindElements(By.CssSelector(".facts [data-status='cancelled']")).Count > 0, "the sweep shown as cancelled");
        // No run finished (the runs were cancelled mid-way): no value gets a bar that would read as the best.
        browser.Until(d => d.FindElements(By.CssSelector("#per-value .no-finished")).Count > 0, "'no finished run' in place of a bar");
        Assert.Equal(0L, browser.Number("return document.querySelectorAll('#per-value .bar').length"));
        Assert.Contains("no finished run", browser.Driver.FindElement(By.Id("per-value")).Text, StringComparison.Ordinal);
        browser.Screenshot("sweep-cancelled");
        var sweep = await WebSilo.WaitForSweepAsync(Silo.Http, "watch", s => (string?)s["status"] == "cancelled", Long);
        Assert.Equal("cancelled", (string?)sweep["status"]);

        browser.Open(new Uri(Silo.BaseAddress, "/#/sweep/watch/run/0"));
        var facts = browser.Until(d => d.FindElement(By.Id("run-facts")).Text is var t && t.Contains("diverged at epoch", StringComparison.Ordinal) ? t : null, "the diverged run's page");
        Assert.Contains("checkpoint epoch", facts, StringComparison.Ordinal);
        Assert.Contains("resumed after a failure", facts, StringComparison.Ordinal);
        Assert.Empty(browser.Driver.FindElements(By.Id("model-link")));
        browser.Until(_ => browser.Number("return Number(document.getElementById('run-curve').dataset.points || 0)") > 0, "the run's trajectory");
        Assert.DoesNotMatch("undefined|NaN", facts);
        Assert.Contains("\"learning_rate\"", (string)browser.Driver.ExecuteScript("return document.getElementById('spec').textContent")!, StringComparison.Ordinal);
        // The built-in trainer prints nothing: its Log panel says so instead of showing an empty box.
        browser.Until(d => d.FindElement(By.Id("log-note")).Text == "No output.", "the built-in run's empty log");
        Assert.False(browser.Driver.FindElement(By.Id("run-log")).Displayed);
        browser.Screenshot("run-diverged");
    }

    [Fact]
    public async Task A_sweep_named_like_a_script_shows_its_name_as_text_and_runs_nothing()
    {
        const string name = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";
        await WebSilo.SubmitAsync(Silo.Http, "xss", Sweeps.Tiny(name));
        using var browser = new Browser();

        browser.Open(Silo.BaseAddress);
        browser.Until(d => d.FindElements(By.CssSelector("#sweeps .sweep-name")).Any(e => e.Text == name), "the name shown literally in the list");
        browser.Open(new Uri(Silo.BaseAddress, "/#/sweep/xss"));
        browser.Until(d => d.FindElement(By.Id("sweep-title")).Text == name, "the name shown literally as the title");
        browser.Until(d => d.FindElements(By.CssSelector("#leaderboard .run-row")).Count == 3, "the leaderboard");
        // The answer: the same sentence the API (and so `excl show` and the JSON summary) carries, shown as text.
        await WebSilo.WaitForSweepAsync(Silo.Http, "xss", s => (string?)s["status"] == "completed", Long);
        var results = JsonNode.Parse(await Silo.Http.GetStringAsync("/api/sweeps/xss"))!;
        var answer = (string)results["answer"]!;
        Assert.Contains("100 diverged in 1 of 1 seeds", answer, StringComparison.Ordinal);
        browser.Until(d => d.FindElement(By.Id("answer")).Text == "Answer: " + answer, "the answer on the page");
        // Its next step reaches this silo's data folder, not the default one of whoever copies it; the answer leaves its own out.
        Assert.DoesNotContain("next: excl refine", answer, StringComparison.Ordinal);
        var next = (string)results["next_step"]!;
        var data = Path.Combine(Silo.Folder, "data");
        Assert.Equal($"next, with this data folder: excl refine xss --data-dir {data} --out refine.json && excl run refine.json --data-dir {data}", next);
        browser.Until(d => d.FindElement(By.Id("next-step")).Text == next, "the next step on the page");
        browser.Screenshot("escaped-name");
        Assert.Equal(true, browser.Driver.ExecuteScript("return window.__xss === undefined"));
        Assert.Equal(0L, browser.Number("return document.querySelectorAll('#main img, #main script').length"));
    }

    [Fact]
    public async Task The_leaderboard_marks_every_seed_of_the_configuration_the_answer_names()
    {
        await WebSilo.SubmitAsync(Silo.Http, "seeded", Sweeps.Tiny("seeded", seeds: 2));
        await WebSilo.WaitForSweepAsync(Silo.Http, "seeded", s => (string?)s["status"] == "completed", Long);
        var results = JsonNode.Parse(await Silo.Http.GetStringAsync("/api/sweeps/seeded"))!;
        var rate = (string)results["best_configuration"]!["learning_rate"]!;
        Assert.StartsWith("the best learning rate is " + rate + ":", (string?)results["answer"], StringComparison.Ordinal);
        var expected = results["leaderboard"]!.AsArray().Where(r => (string?)r!["config"]!["learning_rate"] == rate).Select(r => (int)r!["number"]!).Order().ToList();
        Assert.Equal(2, expected.Count);
        using var browser = new Browser();

        browser.Open(new Uri(Silo.BaseAddress, "/#/sweep/seeded"));
        var marked = browser.Until(d => d.FindElements(By.CssSelector("#leaderboard tr.best")) is { Count: > 0 } rows
            ? rows.Select(r => int.Parse(r.GetAttribute("data-run")!, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList()
            : null, "the answer's rows marked");
        Assert.Equal(expected, marked);
    }

    [Fact]
    public async Task An_lr_range_sweeps_range_tests_show_with_their_suggested_rate_and_their_run_page_draws_the_curve()
    {
        await WebSilo.SubmitAsync(Silo.Http, "ranges", """
            { "name": "ranges", "training": { "dataset": "iris", "optimizer": "sgd", "batch_size": 16, "epochs": 2 },
              "search": { "strategy": "lr-range", "trials": 4, "seed": 2,
                "space": { "learning_rate": { "log_uniform": [0.0001, 1] }, "layers": { "values": [[4], [8]] } } },
              "concurrency": 2 }
            """);
        await WebSilo.WaitForSweepAsync(Silo.Http, "ranges", s => (string?)s["status"] == "completed", Long);
        // One range test per architecture the four trials drew.
        var tests = JsonNode.Parse(await Silo.Http.GetStringAsync("/api/sweeps/ranges"))!["measurements"]!.AsArray().Count;
        Assert.InRange(tests, 1, 2);
        using var browser = new Browser();

        browser.Open(new Uri(Silo.BaseAddress, "/#/sweep/ranges"));
        var rows = browser.Until(d => d.FindElements(By.CssSelector("#measurements .measurement-row")) is { } r && r.Count == tests ? r : null, "the range tests")!;
        Assert.True(browser.Driver.FindElement(By.Id("measurements")).Displayed);
        Assert.All(rows, r => Assert.Matches("layers=\\[[48]\\].*completed|completed.*layers=\\[[48]\\]", r.Text.Replace("\n", " ", StringComparison.Ordinal)));
        Assert.All(rows, r => Assert.True(
            double.TryParse(r.FindElements(By.TagName("td"))[4].Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var rate) && rate > 0,
            $"a suggested rate in '{r.Text}'"));
        // The range tests are not in the leaderboard, which ranks the four training runs.
        browser.Until(d => d.FindElements(By.CssSelector("#leaderboard .run-row")).Count == 4, "the leaderboard of training runs");
        browser.Screenshot("range-tests");

        // The page re-renders its tables as it polls: find the link afresh when clicking (Until retries a stale one).
        browser.Until(d =>
        {
            d.FindElement(By.CssSelector("#measurements .measurement-row a")).Click();
            return true;
        }, "a click on the first range test");
        browser.Until(_ => browser.Number("return Number(document.getElementById('run-curve').dataset.points || 0)") > 10, "the range test's curve");
        var facts = browser.Driver.FindElement(By.Id("run-facts")).Text;
        Assert.DoesNotMatch("undefined|NaN", facts);
        // A range test trains no model: its page offers none.
        Assert.Empty(browser.Driver.FindElements(By.Id("model-link")));
    }

    [Fact]
    public async Task Metrics_show_runs_by_status_epochs_slot_utilisation_and_coordinator_reports()
    {
        await WebSilo.SubmitAsync(Silo.Http, "metrics", Sweeps.Tiny("metrics"));
        await WebSilo.WaitForSweepAsync(Silo.Http, "metrics", s => (string?)s["status"] == "completed", Long);

        var text = await Silo.Http.GetStringAsync("/metrics");
        Assert.Matches("excl_runs\\{[^}]*status=\"completed\"[^}]*\\} [1-9]", text);
        Assert.Matches("excl_runs_finished_total\\{[^}]*status=\"diverged\"", text);
        Assert.Matches("excl_epochs_total\\{[^}]*\\} [1-9]", text);
        Assert.Matches("excl_coordinator_reports_total\\{[^}]*\\} [1-9]", text);
        Assert.Matches("excl_training_slots_utilization\\{[^}]*silo=\"", text);
        Assert.Matches("excl_training_slots_busy_seconds_total\\{[^}]*silo=\"", text);
        Assert.Matches("excl_training_slots\\{[^}]*\\} 2", text);
    }

    [Fact]
    public async Task The_api_gives_downsampled_curves_exports_and_the_dashboard_shows_run_state()
    {
        await WebSilo.SubmitAsync(Silo.Http, "api", Sweeps.Tiny("api"));
        await WebSilo.WaitForSweepAsync(Silo.Http, "api", s => (string?)s["status"] == "completed", Long);

        var curves = JsonNode.Parse(await Silo.Http.GetStringAsync("/api/sweeps/api/curves?points=3"))!;
        var runs = curves["runs"]!.AsArray();
        Assert.Equal(3, runs.Count);
        Assert.All(runs.Where(r => (string?)r!["status"] == "completed"), r => Assert.Equal(3, r!["e"]!.AsArray().Count));
        Assert.Contains(runs, r => (string?)r!["status"] == "diverged" && r["diverged_at"] is not null);

        var csv = await Silo.Http.GetAsync("/api/sweeps/api/export.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("api.csv", csv.Content.Headers.ContentDisposition?.FileName);
        Assert.StartsWith("sweep,run,status", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var json = JsonNode.Parse(await Silo.Http.GetStringAsync("/api/sweeps/api/export.json"))!;
        Assert.Equal(3, json["runs"]!.AsArray().Count);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Silo.Http.GetAsync("/api/sweeps/nope/curves")).StatusCode);

        // The model of the run whose checkpoint keep_checkpoints: best keeps (the lowest final loss of the completed runs);
        // the others kept none, and say so.
        var kept = runs.Where(r => (string?)r!["status"] == "completed").MinBy(r => (double)r!["final"]!)!;
        var number = (int)kept["n"]!;
        var model = await Silo.Http.GetAsync($"/api/sweeps/api/runs/{number}/model");
        Assert.Equal("application/json", model.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"api-run{number}.model.json", model.Content.Headers.ContentDisposition?.FileName);
        var network = JsonNode.Parse(await model.Content.ReadAsStringAsync())!;
        Assert.Equal(("excl-mlp-1", number, (int)kept["epochs"]!), ((string?)network["format"], (int)network["run"]!, (int)network["epoch"]!));
        Assert.StartsWith("x = (features - input_shift) / input_scale;", (string?)network["predict"], StringComparison.Ordinal);
        var other = runs.First(r => (int)r!["n"]! != number)!;
        using var none = await Silo.Http.GetAsync($"/api/sweeps/api/runs/{(int)other["n"]!}/model");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, none.StatusCode);
        Assert.StartsWith($"model: run {(int)other["n"]!} kept no checkpoint", (string?)JsonNode.Parse(await none.Content.ReadAsStringAsync())!["error"], StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Silo.Http.GetAsync("/api/sweeps/api/runs/9/model")).StatusCode);

        // The kept run's page links the model; what the link fetches, with the page's own credentials, is that JSON.
        using (var browser = new Browser())
        {
            browser.Open(new Uri(Silo.BaseAddress, $"/#/sweep/api/run/{number}"));
            var link = browser.Until(d => d.FindElements(By.Id("model-link")).FirstOrDefault(), "the model's link on the kept run's page");
            Assert.Equal("download the model (JSON)", link!.Text);
            var fetched = (string)browser.Driver.ExecuteAsyncScript(
                "const done = arguments[arguments.length - 1]; fetch(document.getElementById('model-link').href).then(r => r.json()).then(m => done(m.format + ' ' + m.run), e => done(String(e)));")!;
            Assert.Equal($"excl-mlp-1 {number}", fetched);
            // A log axis's ticks are round numbers and read so (they read 1.00e-4 beside 0.001).
            Assert.Equal("1e-4 2e-4 1.5e-5 0.001 0.01 1 1e5", browser.Driver.ExecuteScript("return [1e-4, 2e-4, 1.5e-5, 0.001, 0.01, 1, 1e5].map(tickLabel).join(' ')"));
        }

        var state = await Silo.Http.GetStringAsync("/dashboard/GrainState?grainId=api/0&grainType=ExperimentCluster.Grains.RunGrain");
        Assert.Contains("GetState", state, StringComparison.Ordinal);
        Assert.Contains("CheckpointEpoch", state, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Excl_plot_against_the_cluster_writes_three_png_files()
    {
        await WebSilo.SubmitAsync(Silo.Http, "plot", Sweeps.Tiny("plot"));
        await WebSilo.WaitForSweepAsync(Silo.Http, "plot", s => (string?)s["status"] == "completed", Long);
        var output = Path.Combine(Browser.ArtifactsFolder, "plot-cluster");

        var (code, stdout, stderr) = await Programs.ExclAsync(Silo.Folder, Long, "plot", "plot", "--gateway", Silo.Gateway, "--out", output);

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        PlotFiles.AssertPngs(output);
    }
}
