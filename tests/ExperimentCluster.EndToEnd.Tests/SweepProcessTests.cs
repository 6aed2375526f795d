using System.Globalization;
using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests;

public sealed class SweepProcessTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task The_lr_decades_example_marks_learning_rate_10_diverged_and_finds_its_best_at_0_1_or_1()
    {
        var dir = Programs.TempFolder();
        var (code, output, errors) = await Programs.ExclAsync(dir, Long, "run", "--example", "lr-decades", "--json", "--id", "decades");
        Assert.True(code == 0, $"exit {code}\n{output}\n{errors}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal("decades", (string?)lines[0]["sweep_id"]);
        Assert.Contains(lines, l => (string?)l["event"] == "epoch");
        var summary = lines[^1];
        Assert.Equal("summary", (string?)summary["event"]);
        Assert.Equal(18, (int)summary["runs"]!);
        var bestLr = (double)summary["best_hyperparameters"]!["learning_rate"]!;
        Assert.True(bestLr is 0.1 or 1.0, $"best learning rate {bestLr}");
        var diverged = summary["diverged"]!.AsArray().Select(d => (double)d!["hyperparameters"]!["learning_rate"]!).ToList();
        Assert.Equal(3, diverged.Count(lr => lr == 10));

        // The results folder has every epoch of every run.
        var csv = await File.ReadAllLinesAsync(Path.Combine(dir, "excl-results", "decades", "runs.csv"));
        Assert.StartsWith("sweep,run,status,", csv[0], StringComparison.Ordinal);
        Assert.True(csv.Length > 15 * 20, $"only {csv.Length} lines");

        // Seeds are replicates, not hyperparameters: the per-value summaries leave them out.
        var export = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "excl-results", "decades", "summary.json")))!;
        var parameters = export["per_value"]!.AsArray().Select(v => (string?)v!["parameter"]).Distinct().ToList();
        Assert.Equal(["learning_rate"], parameters);
        // The importance rides along: with the learning rate the only swept parameter, all of it is the rate's.
        Assert.Equal("learning_rate", (string?)export["importance"]!["parameters"]![0]!["parameter"]);

        await The_answer_names_the_best_rate_and_the_diverged_one_and_its_refine_command_writes_a_sweep_around_it(dir, summary);
        await Excl_model_writes_the_kept_runs_network_and_never_a_file_that_is_there(dir);
    }

    /// <summary>Uses the lr-decades run above: `excl model` takes the run keep_checkpoints: best kept.</summary>
    private static async Task Excl_model_writes_the_kept_runs_network_and_never_a_file_that_is_there(string dir)
    {
        var model = await Programs.ExclAsync(dir, Long, "model", "decades");
        Assert.True(model.Code == 0, $"exit {model.Code}\n{model.Out}\n{model.Err}");
        var wrote = System.Text.RegularExpressions.Regex.Match(model.Out, @"^wrote (decades-run(\d+)\.model\.json): the network of run \2 of 'decades' \(learning_rate=[^ ]+ seed=\d\) after epoch 20; ");
        Assert.True(wrote.Success, model.Out);
        // excl show names the same run's model under the answer.
        var show = await Programs.ExclAsync(dir, Long, "show", "decades");
        Assert.Contains($"\nmodel: excl model decades (run {wrote.Groups[2].Value}, after epoch 20)\n", show.Out, StringComparison.Ordinal);
        var network = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, wrote.Groups[1].Value)))!;
        Assert.Equal(int.Parse(wrote.Groups[2].Value, CultureInfo.InvariantCulture), (int)network["run"]!);
        Assert.Equal("classification", (string?)network["task"]);

        var again = await Programs.ExclAsync(dir, Long, "model", "decades");
        Assert.Equal(2, again.Code);
        Assert.Contains($"--out: {wrote.Groups[1].Value} is there already", again.Err, StringComparison.Ordinal);
        var other = wrote.Groups[2].Value == "0" ? "1" : "0";
        var none = await Programs.ExclAsync(dir, Long, "model", "decades", other);
        Assert.Equal(2, none.Code);
        Assert.Contains($"run {other} kept no checkpoint", none.Err, StringComparison.Ordinal);
        Assert.Contains($"; the best run's: excl model decades (run {wrote.Groups[2].Value})", none.Err, StringComparison.Ordinal);
    }

    /// <summary>Uses the lr-decades run above: one run of the example serves both tests.</summary>
    private static async Task The_answer_names_the_best_rate_and_the_diverged_one_and_its_refine_command_writes_a_sweep_around_it(string dir, JsonObject summary)
    {
        var answer = (string?)summary["answer"];
        Assert.NotNull(answer);
        var best = System.Text.RegularExpressions.Regex.Match(answer, "^the best learning rate is ([^:]+): final validation loss [^ ]+ ± [^ ]+ \\(mean ± sd over 3 seeds\\)");
        Assert.True(best.Success, answer);
        var bestRate = double.Parse(best.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(bestRate is 0.1 or 1.0, answer);
        Assert.Contains("; 10 diverged in 3 of 3 seeds", answer, StringComparison.Ordinal);
        Assert.EndsWith("next: excl refine decades --out refine.json && excl run refine.json.", answer, StringComparison.Ordinal);

        // `excl show` prints the same sentence first.
        var show = await Programs.ExclAsync(dir, Long, "show", "decades");
        Assert.True(show.Code == 0, $"show exit {show.Code}\n{show.Err}");
        Assert.Contains(answer[..40], show.Out.Split('\n')[0], StringComparison.Ordinal);

        // The suggested command, as the answer spells it: the refine writes the file the run takes.
        var refine = await Programs.ExclAsync(dir, Long, "refine", "decades", "--out", "refine.json");
        Assert.True(refine.Code == 0, $"refine exit {refine.Code}\n{refine.Err}");
        Assert.Equal("wrote refine.json (lr-decades-refine, warm-started from decades); run it with: excl run refine.json", refine.Out.Trim());
        var text = await File.ReadAllTextAsync(Path.Combine(dir, "refine.json"));
        // A .yaml name gets the same sweep as YAML.
        Assert.Equal(0, (await Programs.ExclAsync(dir, Long, "refine", "decades", "--out", "refine.yaml")).Code);
        var yaml = await File.ReadAllTextAsync(Path.Combine(dir, "refine.yaml"));
        Assert.StartsWith("name: lr-decades-refine\n", yaml, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(text), JsonNode.Parse(ExperimentCluster.SweepModel.SweepYaml.ToJson(yaml))), yaml);
        var definition = ExperimentCluster.SweepModel.SweepDefinition.Parse(text);
        Assert.Equal("lr-decades-refine", definition.Name);
        Assert.Equal("grid", definition.Strategy);
        Assert.Equal([0, 1, 2], definition.Seeds);
        var rates = ((ExperimentCluster.Tuning.ValuesDomain)definition.Space.Find("learning_rate")!.Domain).Values
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(5, rates.Count);
        Assert.All(rates, r => Assert.InRange(Math.Log10(r / bestRate), -0.5001, 0.5001));
        Assert.Contains(rates, r => Math.Abs(r - bestRate) < 1e-12);

        // It runs: with fewer epochs to keep the test short (the file is plain JSON the user may edit the same way).
        var file = JsonNode.Parse(text)!;
        file["training"]!["epochs"] = 2;
        await File.WriteAllTextAsync(Path.Combine(dir, "refine.json"), file.ToJsonString());
        var run = await Programs.ExclAsync(dir, Long, "run", "refine.json", "--json", "--id", "refined");
        Assert.True(run.Code == 0, $"refined run exit {run.Code}\n{run.Out}\n{run.Err}");
        Assert.Equal(15, (int)JsonNode.Parse(Programs.LastLine(run.Out))!["runs"]!);
        // The refined file is warm-started from the sweep it refines; with 2 epochs instead of 20 no run of it is comparable.
        Assert.Equal("decades", (string?)file["warm_start"]!["sweeps"]![0]);
        Assert.Null(JsonNode.Parse(Programs.LastLine(run.Out))!["reused"]);

        await The_refined_sweep_run_directly_reuses_the_best_rate_and_retrains_no_rate_the_first_sweep_measured(dir, bestRate);
    }

    /// <summary>`excl refine --run` on the lr-decades example: the refined grid, as written, warm-started from it.</summary>
    private static async Task The_refined_sweep_run_directly_reuses_the_best_rate_and_retrains_no_rate_the_first_sweep_measured(string dir, double bestRate)
    {
        double[] measured = [0.0001, 0.001, 0.01, 0.1, 1, 10];
        var warm = await Programs.ExclAsync(dir, Long, "refine", "decades", "--run", "--json", "--id", "warm");
        Assert.True(warm.Code == 0, $"refine --run exit {warm.Code}\n{warm.Out}\n{warm.Err}");
        var lines = warm.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal("warm", (string?)lines[0]["sweep_id"]);
        var export = await Programs.ExclAsync(dir, Long, "export", "warm", "--format", "json");
        Assert.True(export.Code == 0, export.Err);
        var trained = JsonNode.Parse(export.Out)!["runs"]!.AsArray()
            .Select(r => (double)r!["hyperparameters"]!["learning_rate"]!)
            .ToList();
        // Five rates around the best, three seeds each, less the best rate's three runs the first sweep measured.
        Assert.Equal(12, trained.Count);
        Assert.DoesNotContain(trained, lr => measured.Any(m => Math.Abs(lr - m) < 1e-12));
        Assert.All(trained, lr => Assert.InRange(Math.Log10(lr / bestRate), -0.5001, 0.5001));
        var summary = lines[^1];
        Assert.Equal("completed", (string?)summary["status"]);
        Assert.Equal(12, (int)summary["runs"]!);
        Assert.Equal(3, (int)summary["reused"]!);

        // excl show says so too.
        var show = await Programs.ExclAsync(dir, Long, "show", "warm");
        Assert.True(show.Code == 0, show.Err);
        Assert.Contains("warm start: 3 runs reused from earlier sweeps", show.Out, StringComparison.Ordinal);
        // The refined grid's rates (0.177827941004) read as the leaderboard writes them, to four digits, in the per-value table.
        var perValue = show.Out[show.Out.IndexOf("Per value", StringComparison.Ordinal)..];
        perValue = perValue[..perValue.IndexOf('└')];
        Assert.Matches(@"│ learning_rate\s*│ [0-9]\.[0-9]{1,4}\s*│", perValue);
        Assert.DoesNotMatch("[0-9]{7}", perValue);
    }

    [Fact]
    public async Task Excl_run_json_prints_every_epoch_of_every_run_including_the_last_and_the_one_where_a_run_diverged()
    {
        var dir = Programs.TempFolder();
        var quick = await Programs.ExclAsync(dir, Long, "run", "--example", "quick", "--json", "--id", "quick", "--data-dir", "state");
        Assert.True(quick.Code == 0, $"exit {quick.Code}\n{quick.Out}\n{quick.Err}");
        var export = JsonNode.Parse((await Programs.ExclAsync(dir, Long, "export", "quick", "--data-dir", "state", "--format", "json")).Out)!;
        var exported = export["runs"]!.AsArray().ToDictionary(r => (int)r!["run"]!, r => r!["epochs"]!.AsArray().Count);
        Assert.Equal(6, exported.Count);
        var printed = EpochLinesBeforeFinish(quick.Out);
        Assert.Equal(exported.Keys.Order(), printed.Keys.Order());
        foreach (var (run, epochs) in exported)
        {
            Assert.True(epochs > 0, $"run {run} has no epochs in the export");
            Assert.Equal(Enumerable.Range(1, epochs), printed[run]);
        }

        // A learning rate of 100 on iris diverges in its first epoch: that epoch is printed too, before the run's line.
        var file = Path.Combine(dir, "diverges.json");
        await File.WriteAllTextAsync(file, """
            { "name": "diverges", "training": { "dataset": "iris", "layers": [8], "optimizer": "sgd", "batch_size": 16, "epochs": 5 },
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [100] } } } }
            """);
        var diverged = await Programs.ExclAsync(dir, Long, "run", file, "--json", "--id", "diverges", "--data-dir", "state");
        Assert.True(diverged.Code == 0, $"exit {diverged.Code}\n{diverged.Out}\n{diverged.Err}");
        var summary = JsonNode.Parse(Programs.LastLine(diverged.Out))!;
        Assert.Equal(1, (int)summary["counts"]!["diverged"]!);
        Assert.Equal(1, (int)summary["diverged"]![0]!["epoch"]!);
        Assert.Equal([1], EpochLinesBeforeFinish(diverged.Out)[0]);
    }

    /// <summary>Each run's printed epoch numbers, in order; fails if an epoch line of a run comes after its finish line.</summary>
    private static Dictionary<int, List<int>> EpochLinesBeforeFinish(string output)
    {
        var epochs = new Dictionary<int, List<int>>();
        var finished = new HashSet<int>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!))
        {
            var kind = (string?)line["event"];
            if (kind is not ("epoch" or "run"))
                continue;
            var run = (int)line["run"]!;
            if (kind == "run")
            {
                Assert.True(finished.Add(run), $"run {run} finished twice:\n{output}");
                continue;
            }
            Assert.False(finished.Contains(run), $"an epoch of run {run} came after its finish line:\n{output}");
            if (!epochs.TryGetValue(run, out var list))
                epochs[run] = list = [];
            list.Add((int)line["epoch"]!);
        }
        Assert.True(epochs.Keys.All(finished.Contains), $"a run printed epochs but no finish line:\n{output}");
        return epochs;
    }

    [Fact]
    public async Task The_lr_decades_search_example_settles_on_the_decade_the_lr_decades_grid_finds_best_within_twelve_runs()
    {
        var dir = Programs.TempFolder();
        var grid = await Programs.ExclAsync(dir, Long, "run", "--example", "lr-decades", "--json", "--id", "grid", "--data-dir", "grid");
        Assert.True(grid.Code == 0, $"exit {grid.Code}\n{grid.Out}\n{grid.Err}");
        var search = await Programs.ExclAsync(dir, Long, "run", "--example", "lr-decades-search", "--json", "--id", "search", "--data-dir", "search");
        Assert.True(search.Code == 0, $"exit {search.Code}\n{search.Out}\n{search.Err}");

        // The grid's best decade: the rate with the lowest mean final validation loss over its three seeds.
        var gridSummary = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "excl-results", "grid", "summary.json")))!;
        var bestDecade = gridSummary["per_value"]!.AsArray()
            .Where(v => (string?)v!["parameter"] == "learning_rate" && v["mean_final_val_loss"] is not null)
            .MinBy(v => (double)v!["mean_final_val_loss"]!)!["value"]!.GetValue<double>();
        var summary = JsonNode.Parse(Programs.LastLine(search.Out))!;
        var explanation = (string)summary["explanation"]!;
        var settled = double.Parse(System.Text.RegularExpressions.Regex.Match(explanation, "^Settled on learning_rate = ([^ ]+) ").Groups[1].Value, CultureInfo.InvariantCulture);

        Assert.Equal("completed", (string?)summary["status"]);
        Assert.InRange((int)summary["runs"]!, 1, 12);
        Assert.StartsWith("Settled on", explanation, StringComparison.Ordinal);
        Assert.Equal(Math.Round(Math.Log10(bestDecade)), Math.Round(Math.Log10(settled)));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"nearest decade 1e{Math.Round(Math.Log10(bestDecade))}"), explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sweep_killed_with_sigkill_and_resumed_exports_the_same_results_as_an_uninterrupted_sweep()
    {
        var dir = Programs.TempFolder();
        var file = Path.Combine(dir, "sweep.json");
        await File.WriteAllTextAsync(file, """
            {
              "name": "crash",
              "training": { "dataset": "digits", "layers": [128, 128], "optimizer": "adam", "batch_size": 16, "epochs": 40 },
              "seeds": 2,
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.001, 0.01, 0.1] } } },
              "concurrency": 2
            }
            """);

        using (var first = Programs.Start(Programs.Excl, dir, ["run", file, "--id", "crash", "--data-dir", "interrupted", "--json", "--slots", "2"]))
        {
            await first.WaitForOutputAsync(lines => lines.Count(l => l.Contains("\"event\":\"epoch\"", StringComparison.Ordinal)) >= 3, Long);
            first.KillHard();
        }
        // Nothing trains the folder now: watch says so, and how to continue, instead of waiting for ever.
        var stale = await Programs.ExclAsync(dir, Long, "watch", "crash", "--data-dir", "interrupted");
        Assert.Equal(2, stale.Code);
        Assert.Contains("continue it with: excl resume crash --data-dir interrupted", stale.Err, StringComparison.Ordinal);
        // An edit is stored and starts nothing here: this process ends at once (runs it started in such a process
        // failed, or trained a moment and stopped); the room it makes fills when the sweep is resumed.
        async Task<int> RunsMade() => JsonNode.Parse((await Programs.ExclAsync(dir, Long, "export", "crash", "--data-dir", "interrupted")).Out)!["runs"]!.AsArray().Count;
        var before = await RunsMade();
        var edit = await Programs.ExclAsync(dir, Long, "edit", "crash", "--concurrency", "4", "--data-dir", "interrupted");
        Assert.True(edit.Code == 0, $"edit exit {edit.Code}\n{edit.Out}\n{edit.Err}");
        Assert.Contains("nothing is training sweep 'crash' now; the edit applies when you continue it with: excl resume crash --data-dir interrupted", edit.Err, StringComparison.Ordinal);
        Assert.Equal(before, await RunsMade());
        var resumed = await Programs.ExclAsync(dir, Long, "resume", "crash", "--data-dir", "interrupted", "--json");
        Assert.True(resumed.Code == 0, $"resume exit {resumed.Code}\n{resumed.Out}\n{resumed.Err}");

        var straight = await Programs.ExclAsync(dir, Long, "run", file, "--id", "crash", "--data-dir", "straight", "--json");
        Assert.True(straight.Code == 0, $"run exit {straight.Code}\n{straight.Out}\n{straight.Err}");

        var a = await ExportAsync(dir, "interrupted");
        var b = await ExportAsync(dir, "straight");
        Assert.Equal(6, b.Count);
        Assert.Equal(b, a);
        var resumes = JsonNode.Parse((await Programs.ExclAsync(dir, Long, "export", "crash", "--data-dir", "interrupted")).Out)!["runs"]!.AsArray()
            .Sum(r => (int)r!["resumes"]!);
        Assert.True(resumes >= 1, "at least one run continued from a checkpoint");
    }

    [Fact]
    public async Task While_excl_run_trains_a_data_folder_show_watch_and_cancel_from_another_process_see_it_live()
    {
        var dir = Programs.TempFolder();
        var file = await LongSweepAsync(dir, runs: 3);
        using var run = Programs.Start(Programs.Excl, dir, ["run", file, "--id", "live", "--json", "--data-dir", "state"]);
        await run.WaitForOutputAsync(lines => lines.Count(l => l.Contains("\"event\":\"epoch\"", StringComparison.Ordinal)) >= 2, Long);

        // Through the training process's silo: the state as it is now, not as the file was when another silo read it.
        var shown = await Programs.ExclAsync(dir, Long, "show", "live", "--json", "--data-dir", "state");
        Assert.True(shown.Code == 0, shown.Err);
        var view = JsonNode.Parse(shown.Out)!;
        Assert.Equal("running", (string?)view["status"]);
        Assert.Equal(2, (int)view["counts"]!["running"]!);

        using var watch = Programs.Start(Programs.Excl, dir, ["watch", "live", "--json", "--data-dir", "state"]);
        await watch.WaitForOutputAsync(lines => lines.Any(l => l.Contains("\"event\":\"epoch\"", StringComparison.Ordinal)), Long);
        var cancel = await Programs.ExclAsync(dir, Long, "cancel", "live", "--data-dir", "state");
        Assert.True(cancel.Code == 0, cancel.Err);

        var watched = await watch.WaitForExitAsync(Long);
        Assert.True(watched == 0, $"watch exit {watched}\n{watch.Errors}");
        Assert.Contains("\"status\":\"cancelled\"", Programs.LastLine(watch.Output), StringComparison.Ordinal);
        Assert.Equal(1, await run.WaitForExitAsync(Long)); // the sweep it ran did not complete
        Assert.Contains("\"status\":\"cancelled\"", Programs.LastLine(run.Output), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir, "state", "gateway")), "the training process removes its gateway note when it ends");
    }

    [Fact]
    public async Task Excl_run_with_http_serves_the_experiments_page_the_api_and_the_dashboard_while_it_trains()
    {
        var dir = Programs.TempFolder();
        var file = await LongSweepAsync(dir, runs: 2);
        var port = Programs.FreePort();
        using var run = Programs.Start(Programs.Excl, dir, ["run", file, "--id", "served", "--json", "--http", $"127.0.0.1:{port}"]);
        await run.WaitForOutputAsync(lines => lines.Any(l => l.Contains("\"event\":\"epoch\"", StringComparison.Ordinal)), Long);
        Assert.Contains($"experiments page: http://127.0.0.1:{port}/", run.Errors, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var sweeps = JsonNode.Parse(await http.GetStringAsync("/api/sweeps"))!.AsArray();
        Assert.Contains(sweeps, s => (string?)s!["id"] == "served" && (string?)s["status"] == "running");
        Assert.Contains("<html", await http.GetStringAsync("/"), StringComparison.OrdinalIgnoreCase);
        Assert.True((await http.GetAsync("/dashboard/")).IsSuccessStatusCode, "the Orleans dashboard answers");

        Assert.True((await http.PostAsync("/api/sweeps/served/cancel", null)).IsSuccessStatusCode);
        Assert.Equal(1, await run.WaitForExitAsync(Long));
        Assert.Contains("\"status\":\"cancelled\"", Programs.LastLine(run.Output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_address_in_use_or_a_data_folder_that_is_a_file_is_one_line_naming_the_option()
    {
        var dir = Programs.TempFolder();
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var run = await Programs.ExclAsync(dir, Long, "run", "--example", "quick", "--data-dir", "state", "--http", $"127.0.0.1:{port}");
        Assert.True(run.Code == 2, $"exit {run.Code}\n{run.Out}\n{run.Err}");
        Assert.StartsWith($"excl run: --http: cannot listen on http://127.0.0.1:{port}: ", Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        // Nothing was submitted, and the folder is free for the next run.
        var list = await Programs.ExclAsync(dir, Long, "list", "--data-dir", "state", "--json");
        Assert.True(list.Code == 0 && list.Out.Trim().Length == 0, $"exit {list.Code}\n{list.Out}\n{list.Err}");

        await File.WriteAllTextAsync(Path.Combine(dir, "afile"), "");
        var file = await Programs.ExclAsync(dir, Long, "list", "--data-dir", "afile");
        Assert.Equal(2, file.Code);
        Assert.Equal("excl list: --data-dir: afile is a file, not a folder", file.Err.Trim());
    }

    [Fact]
    public async Task Ctrl_c_stops_cleanly_prints_the_resume_command_and_the_resumed_sweep_completes()
    {
        var dir = Programs.TempFolder();
        var init = await Programs.ExclAsync(dir, Long, "init", "quick", "--out", "quick.json");
        Assert.True(init.Code == 0, init.Err);
        var file = Path.Combine(dir, "quick.json");
        // 5,000 iris epochs a run, about a second a run alone: the interrupt comes after the first epoch is printed.
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("\"epochs\": 10", "\"epochs\": 5000", StringComparison.Ordinal));

        using var run = Programs.Start(Programs.Excl, dir, ["run", file, "--id", "ctrlc", "--json", "--slots", "1", "--data-dir", "state"], interruptible: true);
        await run.WaitForOutputAsync(lines => lines.Any(l => l.Contains("\"event\":\"epoch\"", StringComparison.Ordinal)), Long);
        run.Interrupt();
        var code = await run.WaitForExitAsync(Long);
        // What the process said goes into the message.
        Assert.True(code == 130, $"exit code {code}; stderr: {run.Errors}; stdout ends: {run.Output[^Math.Min(600, run.Output.Length)..]}");
        Assert.Contains("resume with: excl resume ctrlc --data-dir state", run.Errors, StringComparison.Ordinal);

        var shown = await Programs.ExclAsync(dir, Long, "show", "ctrlc", "--json", "--data-dir", "state");
        Assert.True(shown.Code == 0, shown.Err);
        Assert.Equal("running", (string?)JsonNode.Parse(shown.Out)!["status"]);
        var export = JsonNode.Parse((await Programs.ExclAsync(dir, Long, "export", "ctrlc", "--data-dir", "state")).Out)!;
        var kept = export["runs"]!.AsArray().Select(r => r!["epochs"]!.AsArray().Count).ToList();
        Assert.True(kept.Sum() >= 1, "the epochs trained before Ctrl-C are kept");
        Assert.All(export["runs"]!.AsArray(), r => Assert.NotEqual("cancelled", (string?)r!["status"]));

        // The printed command, as printed, finishes the sweep from the kept checkpoints.
        var printed = run.Errors.Split('\n').Single(l => l.Contains("resume with: ", StringComparison.Ordinal));
        var resume = await Programs.ExclAsync(dir, Long, [.. printed[(printed.IndexOf("excl ", StringComparison.Ordinal) + 5)..].Trim().Split(' '), "--json"]);
        Assert.True(resume.Code == 0, resume.Err);
        Assert.Contains("\"status\":\"completed\"", Programs.LastLine(resume.Out), StringComparison.Ordinal);
        var finished = JsonNode.Parse((await Programs.ExclAsync(dir, Long, "export", "ctrlc", "--data-dir", "state")).Out)!["runs"]!.AsArray();
        Assert.All(finished, r => Assert.Equal("completed", (string?)r!["status"]));
        Assert.All(finished, r => Assert.Equal(5000, r!["epochs"]!.AsArray().Count));
    }

    [Fact]
    public async Task Examples_are_listed_and_init_writes_one_that_runs()
    {
        var dir = Programs.TempFolder();
        var list = await Programs.ExclAsync(dir, Long, "examples");
        Assert.Equal(0, list.Code);
        Assert.Contains("lr-decades", list.Out, StringComparison.Ordinal);
        Assert.Contains("quick", list.Out, StringComparison.Ordinal);
        // Every description starts in one column, after the longest name and a gap.
        var builtIn = list.Out.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n")[0].Split('\n');
        Assert.Contains(builtIn, l => l.StartsWith("lr-decades-search ", StringComparison.Ordinal));
        Assert.Single(builtIn.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\S+ {2,}").Length).Distinct());
        // An empty folder's list says where it looked and how to begin, rather than drawing an empty table.
        var empty = await Programs.ExclAsync(dir, Long, "list");
        Assert.Equal(0, empty.Code);
        Assert.Equal($"no sweeps in data folder {Path.Combine(dir, ".excl")} yet; start one with: excl run --example quick", empty.Out.Trim());
        Assert.Equal(0, (await Programs.ExclAsync(dir, Long, "init", "quick")).Code);
        Assert.Equal(2, (await Programs.ExclAsync(dir, Long, "init", "quick")).Code); // exists already
        // A .yaml name gets YAML, which excl then reads by that name.
        Assert.Equal(0, (await Programs.ExclAsync(dir, Long, "init", "quick", "--out", "quick.yaml")).Code);
        Assert.StartsWith("# ", await File.ReadAllTextAsync(Path.Combine(dir, "quick.yaml")), StringComparison.Ordinal);
        var run = await Programs.ExclAsync(dir, Long, "run", "quick.json", "--json");
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("\"status\":\"completed\"", Programs.LastLine(run.Out), StringComparison.Ordinal);

        // Piped, `excl list` is laid out at the table's own width: the generated id (26 characters) and the time it was
        // created each stay on one line (at Spectre's assumed 80 columns they broke into three).
        var id = (string)JsonNode.Parse(run.Out.Split('\n')[0])!["sweep_id"]!;
        using var piped = Programs.Start(Programs.Excl, dir, ["list"], new Dictionary<string, string> { ["COLUMNS"] = "" });
        Assert.Equal(0, await piped.WaitForExitAsync(Long));
        Assert.Matches($"│ {id} +│ quick +│ completed +│ 6/6 +│ 0 +│ [0-9.]+ +│ [0-9-]+ [0-9:]+Z +│", piped.Output);
    }

    [Fact]
    public async Task Bad_input_exits_with_one_line_naming_the_field()
    {
        var dir = Programs.TempFolder();
        var file = Path.Combine(dir, "bad.json");
        await File.WriteAllTextAsync(file, """
            { "training": { "dataset": "iris", "epochs": 3 },
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.1, -1] } } } }
            """);
        var bad = await Programs.ExclAsync(dir, Long, "run", file, "--data-dir", "d");
        Assert.Equal(2, bad.Code);
        Assert.Contains("search.space.learning_rate.values[1]", bad.Err, StringComparison.Ordinal);
        Assert.Single(bad.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        await File.WriteAllTextAsync(file, "{ \"name\": \"x\",\n  \"search\": { ] }");
        var syntax = await Programs.ExclAsync(dir, Long, "run", file, "--data-dir", "d");
        Assert.Equal(2, syntax.Code);
        Assert.Contains("line 2", syntax.Err, StringComparison.Ordinal);

        var unknown = await Programs.ExclAsync(dir, Long, "run", "--example", "quick", "--data-dir", "d", "--bogus", "1");
        Assert.Equal(2, unknown.Code);
        Assert.Contains("--bogus", unknown.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_yaml_sweep_file_runs_like_its_json_form_and_its_errors_name_the_line_or_the_field()
    {
        var dir = Programs.TempFolder();
        await File.WriteAllTextAsync(Path.Combine(dir, "sweep.yaml"), """
            # the same schema as the JSON form
            name: yaml sweep
            training:
              dataset: iris
              layers: [8]
              optimizer: sgd
              batch_size: 16
              epochs: 3
            search:
              strategy: grid
              space:
                learning_rate:
                  values: [0.01, 0.1, 30]
            concurrency: 2
            """);
        var run = await Programs.ExclAsync(dir, Long, "run", "sweep.yaml", "--id", "yaml", "--json");
        Assert.True(run.Code == 0, run.Err);
        var summary = JsonNode.Parse(Programs.LastLine(run.Out))!;
        Assert.Equal("completed", (string?)summary["status"]);
        Assert.Equal(2, (int)summary["counts"]!["completed"]!);
        Assert.Equal(1, (int)summary["counts"]!["diverged"]!);

        await File.WriteAllTextAsync(Path.Combine(dir, "syntax.yml"), "name: x\ntraining:\n  dataset: iris\n  epochs: [1\n");
        var syntax = await Programs.ExclAsync(dir, Long, "run", "syntax.yml");
        Assert.Equal(2, syntax.Code);
        Assert.Matches("^excl run: syntax.yml: line [0-9]+, column [0-9]+: not valid YAML", syntax.Err.Trim());

        await File.WriteAllTextAsync(Path.Combine(dir, "negative.yaml"), "search:\n  strategy: grid\n  space:\n    learning_rate:\n      values: [0.1, -1]\n");
        var negative = await Programs.ExclAsync(dir, Long, "run", "negative.yaml");
        Assert.Equal(2, negative.Code);
        Assert.Contains("search.space.learning_rate.values[1]: must be a positive finite number", Assert.Single(negative.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    /// <summary>A sweep that trains far longer than any test waits (64-512-512-10, 2000 epochs, two at a time): tests cancel it.</summary>
    private static async Task<string> LongSweepAsync(string dir, int runs)
    {
        var file = Path.Combine(dir, "long.json");
        var rates = string.Join(", ", Enumerable.Range(1, runs).Select(i => (0.01 * i).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await File.WriteAllTextAsync(file, $$"""
            { "name": "long", "training": { "dataset": "digits", "layers": [512, 512], "epochs": 2000 },
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [{{rates}}] } } }, "concurrency": 2 }
            """);
        return file;
    }

    /// <summary>Each run's status and every epoch's numbers, without timings (which differ from run to run).</summary>
    private static async Task<List<string>> ExportAsync(string dir, string dataDir)
    {
        var (code, output, errors) = await Programs.ExclAsync(dir, Long, "export", "crash", "--data-dir", dataDir, "--format", "json");
        Assert.True(code == 0, $"export exit {code}\n{errors}");
        return JsonNode.Parse(output)!["runs"]!.AsArray().Select(r =>
        {
            var epochs = r!["epochs"]!.AsArray().Select(e => string.Join(",",
                (string?)e!["epoch"]?.ToJsonString(), e["train_loss"]?.ToJsonString(), e["val_loss"]?.ToJsonString(),
                e["val_accuracy"]?.ToJsonString(), e["learning_rate"]?.ToJsonString()));
            return $"{r["run"]} {r["status"]} {r["hyperparameters"]!.ToJsonString()} | {string.Join(" ; ", epochs)}";
        }).ToList();
    }
}
