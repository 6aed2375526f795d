using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests.RunLogs;

/// <summary>
/// A command sweep whose program (a Python script) prints log lines around its reports: one line per epoch
/// ("line of epoch N"), a line on standard error, and, in epoch 1, a line holding an escape sequence and a script tag.
/// A gated sweep's runs wait after their first report until the test creates their gate file (gate-RUN in the sweep's
/// folder), so that a test sees a run while it runs, for as long as it needs, without timing anything. A chatty sweep's
/// runs first print 100 filler lines (about 3,400 characters), more than a silo with a small
/// Experiments:Commands:LogChars keeps.
/// </summary>
public static class LogScript
{
    /// <summary>The untrusted line of epoch 1: a terminal escape sequence, a bell and HTML that would run if it were parsed.</summary>
    public const string HostileLine = "\u001b[31mred\u0007 <script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";

    private const string Script = """
        import json, os, sys, time
        gated, chatty = "gated" in sys.argv, "chatty" in sys.argv
        gate = "gate-" + os.environ["EXCL_RUN"]
        if chatty:
            for i in range(100):
                print("filler %03d" % i, "." * 20, flush=True)
        for e in range(1, int(os.environ["EXCL_MAX_EPOCHS"]) + 1):
            print("line of epoch", e, flush=True)
            if e == 1:
                print("\x1b[31mred\x07 <script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">", flush=True)
                print("a warning on standard error", file=sys.stderr, flush=True)
            print(json.dumps({"epoch": e, "val_loss": 1.0 / e}), flush=True)
            if gated and e == 1:
                while not os.path.exists(gate):
                    time.sleep(0.05)
        """;

    /// <summary>Writes the script and the sweep file into <paramref name="folder"/> and returns the sweep file's path.</summary>
    public static string Write(string folder, int runs, int epochs, bool gated, bool chatty = false)
    {
        File.WriteAllText(Path.Combine(folder, "trial.py"), Script);
        var run = new JsonArray("python3", "trial.py");
        if (gated)
            run.Add("gated");
        if (chatty)
            run.Add("chatty");
        var sweep = new JsonObject
        {
            ["name"] = "logs",
            ["command"] = new JsonObject { ["run"] = run, ["epochs"] = epochs },
            ["search"] = new JsonObject
            {
                ["strategy"] = "grid",
                ["space"] = new JsonObject { ["x"] = new JsonObject { ["values"] = new JsonArray(Enumerable.Range(1, runs).Select(i => (JsonNode?)i).ToArray()) } },
            },
        };
        var path = Path.Combine(folder, "sweep.json");
        File.WriteAllText(path, sweep.ToJsonString());
        return path;
    }

    /// <summary>Lets run <paramref name="run"/> of a gated sweep go on past its first epoch.</summary>
    public static void Open(string folder, int run) => File.WriteAllText(Path.Combine(folder, $"gate-{run}"), "");
}
