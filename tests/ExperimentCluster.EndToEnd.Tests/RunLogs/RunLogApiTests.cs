using System.Net;
using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests.RunLogs;

/// <summary>`GET /api/sweeps/{id}/runs/{n}/log` on the silo of `excl run --http` while a command run waits at its gate.</summary>
public sealed class RunLogApiTests
{
    [Fact]
    public async Task The_log_endpoint_answers_the_runs_output_by_offset_says_when_the_run_has_finished_and_404_for_an_unknown_run()
    {
        using var sweep = LoggingSweepProcess.Start("api", runs: 2, epochs: 2);
        // Everything the run prints before its gate: the log stays as it is until the test opens the gate.
        var log = await sweep.WaitForLogAsync(0, "line of epoch 1", LogScript.HostileLine, "a warning on standard error");

        Assert.Equal(["text", "start", "next", "finished"], log.Select(p => p.Key));
        var text = (string)log["text"]!;
        Assert.StartsWith("[excl] start: ", text, StringComparison.Ordinal);
        Assert.Equal(0, (long)log["start"]!);
        Assert.Equal(text.Length, (long)log["next"]!);
        Assert.False((bool)log["finished"]!);

        var piece = await GetAsync(sweep, "/api/sweeps/api/runs/0/log?from=6&max=5");
        Assert.Equal(text.Substring(6, 5), (string)piece["text"]!);
        Assert.Equal(6, (long)piece["start"]!);
        Assert.Equal(11, (long)piece["next"]!);
        var end = await GetAsync(sweep, $"/api/sweeps/api/runs/0/log?from={text.Length}");
        Assert.Equal("", (string)end["text"]!);
        Assert.Equal(text.Length, (long)end["next"]!);

        await AssertErrorAsync(sweep, "/api/sweeps/api/runs/7/log", HttpStatusCode.NotFound, "run: no run 7 in 'api'");
        await AssertErrorAsync(sweep, "/api/sweeps/nope/runs/0/log", HttpStatusCode.NotFound, "run: no run 0 in 'nope'");
        await AssertErrorAsync(sweep, "/api/sweeps/api/runs/0/log?from=-1", HttpStatusCode.BadRequest, "from: -1 is below 0");
        await AssertErrorAsync(sweep, "/api/sweeps/api/runs/0/log?max=0", HttpStatusCode.BadRequest, "max: 0 is not from 1 to");

        LogScript.Open(sweep.Folder, 0);
        var finished = await sweep.WaitForLogAsync(0, l => (bool)l["finished"]!, "run 0 finished");
        Assert.Contains("line of epoch 2", (string)finished["text"]!, StringComparison.Ordinal);
        Assert.Equal(0, await sweep.FinishAsync(runs: 2));
    }

    private static async Task<JsonObject> GetAsync(LoggingSweepProcess sweep, string path)
    {
        using var response = await sweep.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task AssertErrorAsync(LoggingSweepProcess sweep, string path, HttpStatusCode status, string error)
    {
        using var response = await sweep.Http.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith(error, (string)body["error"]!, StringComparison.Ordinal);
    }
}
