using System.Net;
using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>`excl edit` and PATCH /api/sweeps/{id} against a real silo process.</summary>
public sealed class SweepEditApiTests(WebSiloFixture fixture) : IClassFixture<WebSiloFixture>
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);

    private WebSilo Silo => fixture.Silo;

    [Fact]
    public async Task Patch_edits_a_running_sweep_lists_the_events_and_the_run_left_outside_and_refuses_bad_edits_with_the_field()
    {
        await WebSilo.SubmitAsync(Silo.Http, "patched", EditSweeps.LongGrid("patched"));
        await WebSilo.WaitForSweepAsync(Silo.Http, "patched", s => s["counts"]!.AsObject().Count > 0, Long);

        var ok = await EditSweeps.PatchAsync(Silo.Http, "patched", """{ "concurrency": 2, "search": { "space": { "learning_rate": { "remove": [0.001], "add": [0.03] } } } }""");
        var body = JsonNode.Parse(await ok.Content.ReadAsStringAsync())!;
        Assert.True(ok.IsSuccessStatusCode, body.ToJsonString());
        Assert.Equal("running", (string?)body["sweep"]!["status"]);
        // Four rates, one of them new, plus run 0 (0.001) made before the edit: five runs.
        Assert.Equal(5, (int)body["sweep"]!["planned_runs"]!);

        var edits = JsonNode.Parse(await Silo.Http.GetStringAsync("/api/sweeps/patched/edits"))!;
        var events = edits["events"]!.AsArray();
        Assert.Equal(["search.space.learning_rate", "concurrency"], events.Select(e => (string?)e!["path"]));
        Assert.Equal("""{"values":[0.001,0.01,0.1,0.3]}""", (string?)events[0]!["old"]);
        Assert.Equal("""{"values":[0.01,0.1,0.3,0.03]}""", (string?)events[0]!["new"]);
        Assert.Equal(("1", "2"), ((string?)events[1]!["old"], (string?)events[1]!["new"]));
        Assert.All(events, e => Assert.Equal(1, (int)e!["edit"]!));
        Assert.Equal([0], edits["outside_runs"]!.AsArray().Select(n => (int)n!));
        // The sweep file the API serves is the edited one.
        var results = JsonNode.Parse(await Silo.Http.GetStringAsync("/api/sweeps/patched"))!;
        Assert.Contains("\"concurrency\":2", (string?)results["spec_json"], StringComparison.Ordinal);

        var bad = await EditSweeps.PatchAsync(Silo.Http, "patched", """{ "search": { "space": { "learning_rate": { "range": [0.001, 0.1] } } } }""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.StartsWith("search.space.learning_rate.range: learning_rate is a list of values",
            (string?)JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["error"], StringComparison.Ordinal);
        var notJson = await EditSweeps.PatchAsync(Silo.Http, "patched", "{ max_runs: ");
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.StartsWith("$: the edit is not valid JSON", (string?)JsonNode.Parse(await notJson.Content.ReadAsStringAsync())!["error"], StringComparison.Ordinal);
        Assert.Equal(2, JsonNode.Parse(await Silo.Http.GetStringAsync("/api/sweeps/patched/edits"))!["events"]!.AsArray().Count);

        var missing = await EditSweeps.PatchAsync(Silo.Http, "nobody", """{ "concurrency": 3 }""");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("id: no sweep 'nobody'", (string?)JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["error"]);

        Assert.True((await Silo.Http.PostAsync("/api/sweeps/patched/cancel", null)).IsSuccessStatusCode);
        var finished = await EditSweeps.PatchAsync(Silo.Http, "patched", """{ "concurrency": 4 }""");
        Assert.Equal(HttpStatusCode.BadRequest, finished.StatusCode);
        Assert.Equal("status: the sweep is cancelled; only a running or paused sweep can be edited", (string?)JsonNode.Parse(await finished.Content.ReadAsStringAsync())!["error"]);
    }

    [Fact]
    public async Task Excl_edit_changes_a_running_sweep_from_options_or_a_yaml_file_and_show_lists_the_edits()
    {
        var dir = Silo.Folder;
        await WebSilo.SubmitAsync(Silo.Http, "cli-edit", EditSweeps.LongGrid("cli-edit"));
        await WebSilo.WaitForSweepAsync(Silo.Http, "cli-edit", s => s["counts"]!.AsObject().Count > 0, Long);

        var edit = await Programs.ExclAsync(dir, Long, "edit", "cli-edit", "--concurrency", "2", "--add-values", "learning_rate=0.03,1", "--gateway", Silo.Gateway);
        Assert.True(edit.Code == 0, $"edit exit {edit.Code}\n{edit.Out}\n{edit.Err}");
        Assert.Contains("edit 1: search.space.learning_rate: {\"values\":[0.001,0.01,0.1,0.3]} -> {\"values\":[0.001,0.01,0.1,0.3,0.03,1]}", edit.Out, StringComparison.Ordinal);
        Assert.Contains("edit 1: concurrency: 1 -> 2", edit.Out, StringComparison.Ordinal);
        Assert.Contains("cli-edit: running, 6 runs planned", edit.Out, StringComparison.Ordinal);

        // A bad edit: one line naming the field, exit code 2, nothing changed.
        var range = await Programs.ExclAsync(dir, Long, "edit", "cli-edit", "--range", "learning_rate=0.001:0.1", "--gateway", Silo.Gateway);
        Assert.Equal(2, range.Code);
        Assert.Contains("sweep 'cli-edit': search.space.learning_rate.range: learning_rate is a list of values, not a range", range.Err, StringComparison.Ordinal);
        var file = Path.Combine(dir, "edit.yaml");
        await File.WriteAllTextAsync(file, "max_runs: -1\n");
        var negative = await Programs.ExclAsync(dir, Long, "edit", "cli-edit", "--file", file, "--gateway", Silo.Gateway);
        Assert.Equal(2, negative.Code);
        Assert.Contains("sweep 'cli-edit': max_runs: must be between 1 and", negative.Err, StringComparison.Ordinal);

        // The same document as PATCH, from YAML.
        await File.WriteAllTextAsync(file, "search:\n  space:\n    learning_rate:\n      remove: [1]\n");
        var yaml = await Programs.ExclAsync(dir, Long, "edit", "cli-edit", "--file", file, "--json", "--gateway", Silo.Gateway);
        Assert.True(yaml.Code == 0, $"edit exit {yaml.Code}\n{yaml.Out}\n{yaml.Err}");
        var log = JsonNode.Parse(Programs.LastLine(yaml.Out))!;
        Assert.Equal([1, 1, 2], log["events"]!.AsArray().Select(e => (int)e!["edit"]!));

        // Run 0 (rate 0.001) is made: removing its value leaves it outside the space, and the plan says how it is made up.
        var narrowed = await Programs.ExclAsync(dir, Long, "edit", "cli-edit", "--remove-values", "learning_rate=0.001", "--gateway", Silo.Gateway);
        Assert.True(narrowed.Code == 0, $"edit exit {narrowed.Code}\n{narrowed.Out}\n{narrowed.Err}");
        var plan = System.Text.RegularExpressions.Regex.Match(narrowed.Out, @"cli-edit: running, (\d+) runs planned: (\d+) made before an edit, outside the current space, and (\d+) in it");
        Assert.True(plan.Success, narrowed.Out);
        var (planned, outside, inside) = (int.Parse(plan.Groups[1].Value), int.Parse(plan.Groups[2].Value), int.Parse(plan.Groups[3].Value));
        Assert.Equal(planned, outside + inside);
        Assert.Equal(4, inside);

        var show = await Programs.ExclAsync(dir, Long, "show", "cli-edit", "--gateway", Silo.Gateway);
        Assert.True(show.Code == 0, show.Err);
        Assert.Contains("Edits", show.Out, StringComparison.Ordinal);
        Assert.Contains("concurrency", show.Out, StringComparison.Ordinal);
        Assert.Contains("search.space.learning_rate", show.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await Programs.ExclAsync(dir, Long, "cancel", "cli-edit", "--gateway", Silo.Gateway)).Code);
        var late = await Programs.ExclAsync(dir, Long, "edit", "cli-edit", "--concurrency", "4", "--gateway", Silo.Gateway);
        Assert.Equal(2, late.Code);
        Assert.Contains("status: the sweep is cancelled; only a running or paused sweep can be edited", late.Err, StringComparison.Ordinal);
    }
}
