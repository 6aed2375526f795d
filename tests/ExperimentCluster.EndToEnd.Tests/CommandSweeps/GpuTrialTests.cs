using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests.CommandSweeps;

/// <summary>
/// `command.gpus` on a silo process whose GPUs are made-up ids (Experiments:Commands:Gpus = g0, g1, g2): trials get ids
/// of their own through CUDA_VISIBLE_DEVICES, wait as Queued while too few are free, and a trial that asks for more than
/// the silo has fails naming the field.
/// </summary>
[Collection(CommandSweepGroup.Name)]
public sealed class GpuTrialTests
{
    private const string Token = "gpu-test-token";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(4);
    private static readonly string[] SiloGpus = ["g0", "g1", "g2"];

    /// <summary>
    /// A trial that claims each GPU id it was given by creating a file of that name exclusively (so a second holder of
    /// an id fails at once), checks at every epoch that no other trial's claim is in the folder, and removes its own
    /// before it exits. SIGTERM (which the silo sends after the last report) is ignored: the trial ends by itself, so
    /// its claims are always removed, and the silo frees its GPUs only once the process is gone.
    /// </summary>
    private const string TrialScript = """
        import os, signal, sys, time
        import excl_trial

        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        trial = excl_trial.init(handle_sigterm=False)
        ids = os.environ.get("CUDA_VISIBLE_DEVICES", "")
        print("CUDA_VISIBLE_DEVICES=" + ids, file=sys.stderr, flush=True)
        claims = os.environ["GPU_CLAIMS"]
        mine = []
        try:
            for gpu in ids.split(","):
                path = os.path.join(claims, gpu)
                try:
                    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                except FileExistsError:
                    sys.exit("GPU %s is held by another trial (run %s)" % (gpu, open(path).read()))
                os.write(fd, str(trial.run).encode())
                os.close(fd)
                mine.append(path)
            for epoch in range(1, trial.max_epochs + 1):
                others = sorted(set(os.listdir(claims)) - set(os.path.basename(p) for p in mine))
                if others:
                    sys.exit("run %s holds GPUs while other trials hold %s" % (trial.run, ", ".join(others)))
                time.sleep(0.5)
                trial.report(epoch, val_loss=1.0 / epoch)
        finally:
            for path in mine:
                os.remove(path)
        """;

    [Fact]
    public async Task Trials_get_two_distinct_ids_of_their_own_only_one_holds_GPUs_at_a_time_and_asking_for_more_than_the_silo_has_fails_naming_command_gpus()
    {
        var dir = Programs.TempFolder();
        var claims = Directory.CreateDirectory(Path.Combine(dir, "claims")).FullName;
        var script = Path.Combine(dir, "gpu_trial.py");
        await File.WriteAllTextAsync(script, TrialScript);
        var (process, http, _) = await SiloProcessTests.StartSiloAsync(dir, new Dictionary<string, string>
        {
            ["Http__Token"] = Token,
            ["Experiments__Commands__Allow"] = "true",
            ["Experiments__Commands__Gpus__0"] = SiloGpus[0],
            ["Experiments__Commands__Gpus__1"] = SiloGpus[1],
            ["Experiments__Commands__Gpus__2"] = SiloGpus[2],
            // Slots for every trial at once: only the GPUs make them wait.
            ["Experiments__TrainingSlots"] = "3",
        });
        using var _ = process;
        using var __ = http;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        await SubmitAsync(http, "twogpus", Sweep(script, claims, gpus: 2, epochs: 6));
        // While one trial trains on its GPUs the other two wait their turn as Queued (slots are free: they wait for GPUs).
        await WaitForAsync(http, "twogpus", runs =>
            runs.Count(r => Status(r) == "running" && (int)r["run"]!["epochs"]! >= 1) == 1 && runs.Count(r => Status(r) == "queued") == 2);
        var runs = await WaitForAsync(http, "twogpus", runs => runs.All(r => Status(r) is "completed" or "failed" or "diverged"));

        foreach (var run in runs)
        {
            var number = (int)run["run"]!["number"]!;
            var log = await LogAsync(http, "twogpus", number);
            // A second holder of an id, or two trials holding GPUs at once, would have failed the trial with its reason.
            Assert.True(Status(run) == "completed", $"run {number}: {Status(run)} {run["run"]!["reason"]}\n{log}");
            var line = log.Split('\n').Single(l => l.StartsWith("CUDA_VISIBLE_DEVICES=", StringComparison.Ordinal));
            var ids = line["CUDA_VISIBLE_DEVICES=".Length..].Trim().Split(',');
            Assert.Equal(2, ids.Length);
            Assert.Equal(2, ids.Distinct().Count());
            Assert.All(ids, id => Assert.Contains(id, SiloGpus));
        }
        Assert.Empty(Directory.GetFiles(claims));

        // More GPUs than the silo has: the run fails at once (it could wait forever) and says which field asked for them.
        await SubmitAsync(http, "fourgpus", Sweep(script, claims, gpus: 4, epochs: 2));
        var four = await WaitForAsync(http, "fourgpus", r => r.Count == 3 && r.All(run => Status(run) is "completed" or "failed" or "diverged"));
        foreach (var run in four)
        {
            var number = (int)run["run"]!["number"]!;
            Assert.True(Status(run) == "failed", $"run {number}: {Status(run)}");
            Assert.Contains("command.gpus", (string?)run["run"]!["reason"], StringComparison.Ordinal);
            Assert.DoesNotContain("CUDA_VISIBLE_DEVICES=", await LogAsync(http, "fourgpus", number), StringComparison.Ordinal);
        }
    }

    private static string Sweep(string script, string claims, int gpus, int epochs) => new JsonObject
    {
        ["name"] = "gpus",
        ["command"] = new JsonObject
        {
            ["run"] = new JsonArray("python3", script, "{x}"),
            ["env"] = new JsonObject { ["GPU_CLAIMS"] = claims },
            ["epochs"] = epochs,
            ["gpus"] = gpus,
            ["report_timeout"] = 120,
        },
        ["search"] = new JsonObject
        {
            ["strategy"] = "grid",
            ["space"] = new JsonObject { ["x"] = new JsonObject { ["values"] = new JsonArray(1, 2, 3) } },
        },
        ["concurrency"] = 3,
    }.ToJsonString();

    private static async Task SubmitAsync(HttpClient http, string id, string sweep)
    {
        using var body = new StringContent(sweep, Encoding.UTF8, "application/json");
        using var answer = await http.PostAsync(new Uri($"/api/sweeps/{id}", UriKind.Relative), body);
        Assert.True(answer.IsSuccessStatusCode, $"submit {id}: {answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
    }

    private static string? Status(JsonNode run) => (string?)run["run"]!["status"];

    /// <summary>The sweep's runs, each read from its own run (live), polled until the condition holds.</summary>
    private static async Task<List<JsonNode>> WaitForAsync(HttpClient http, string id, Func<List<JsonNode>, bool> done)
    {
        var last = new List<JsonNode>();
        await Cluster.Waits.UntilAsync(async () =>
        {
            var sweep = JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/sweeps/{id}", UriKind.Relative)))!;
            var numbers = sweep["leaderboard"]!.AsArray().Select(r => (int)r!["number"]!).Order().ToList();
            last = [];
            foreach (var n in numbers)
                last.Add(JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/sweeps/{id}/runs/{n}", UriKind.Relative)))!);
            return last.Count > 0 && done(last);
        }, Long, () => string.Join("\n", last.Select(r => $"run {r["run"]!["number"]}: {Status(r)} epochs {r["run"]!["epochs"]} {r["run"]!["reason"]}")));
        return last;
    }

    private static async Task<string> LogAsync(HttpClient http, string id, int run) =>
        (string?)JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/sweeps/{id}/runs/{run}/log", UriKind.Relative)))!["text"] ?? "";
}
