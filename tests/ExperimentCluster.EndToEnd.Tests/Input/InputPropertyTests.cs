using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using ExperimentCluster.EndToEnd.Tests.Web;

namespace ExperimentCluster.EndToEnd.Tests.Input;

/// <summary>
/// Random and mutated sweep files and ids, fed to `excl submit` (a process) and to POST /api/sweeps/{id} of one silo
/// process: answers are 0, 1 or 2 and never 500, no output holds a stack trace, the silo keeps answering /health, and a
/// sweep finished before the storm exports the same bytes after it. Seeded, so a failure is reproduced by its seed.
/// </summary>
public sealed partial class InputPropertyTests(WebSiloFixture fixture) : IClassFixture<WebSiloFixture>
{
    private const string Seed = "0N0XIzNsQ0O2";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);

    private const string Small = """
        { "name": "fuzz", "training": { "dataset": "iris", "layers": [4], "epochs": 1, "batch_size": 16 },
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.01, 0.1] } } }, "concurrency": 2 }
        """;

    private const string SmallYaml = """
        name: fuzz-yaml
        training: { dataset: iris, layers: [4], epochs: 1 }
        search:
          strategy: grid
          space:
            learning_rate: { values: [0.01, 0.1] }
        """;

    private static readonly string[] Bases =
    [
        Small,
        SmallYaml,
        "{ \"name\": \"x\\u001b]0;owned\\u0007\", \"training\": { \"dataset\": \"iris\", \"epochs\": 1 } }",
        "{ \"allow_large_grid\": true, \"search\": { \"space\": { \"a\": { \"values\": [1,2,3,4,5,6,7,8,9,10] } } } }",
        "x: " + new string('[', 5000) + new string(']', 5000),
        "{\"search\": {\"settings\": " + new string('[', 5000) + new string(']', 5000) + "}}",
    ];

    private static readonly Gen<string> Ids = Gen.OneOf(
        Gen.Const("fuzz-ok"), Gen.Const(""), Gen.Const("/tmp/x"), Gen.Const("../../x"), Gen.Const("a\nb"), Gen.Const(new string('a', 7000)),
        Gen.Const("a\u001b[31m"), Gen.Const(".hidden"), Gen.Const("-x"),
        Gen.String[Gen.Char.AlphaNumeric, 1, 12],
        Gen.String[Gen.Char, 0, 40]);

    /// <summary>A base file cut, spliced, or sprinkled with brackets, quotes and control characters.</summary>
    private static readonly Gen<(string Text, bool Yaml)> Files =
        from b in Gen.Int[0, Bases.Length - 1]
        from edits in Gen.Int[0, 4]
        from positions in Gen.Int[0, int.MaxValue].Array[edits]
        from kinds in Gen.Int[0, 3].Array[edits]
        from junk in Gen.String[Gen.OneOf(Gen.Char["{}[]\":,'&*!|>-#\n\t \u0000\u001b\\"], Gen.Char.AlphaNumeric), 1, 8].Array[edits]
        select (Mutate(Bases[b], positions, kinds, junk), b == 1 || b == 4);

    [Fact]
    public async Task Random_and_mutated_sweep_files_and_ids_never_crash_the_cli_or_the_api_or_change_a_stored_sweep()
    {
        var silo = fixture.Silo;
        await WebSilo.SubmitAsync(silo.Http, "before", Small);
        var before = await FinishedExportAsync(silo, "before");
        var dir = Programs.TempFolder();
        var cliCase = 0;

        await Gen.Select(Files, Ids).SampleAsync(async c =>
        {
            var file = Path.Combine(dir, $"case{cliCase++}" + (c.Item1.Yaml ? ".yaml" : ".json"));
            await File.WriteAllTextAsync(file, c.Item1.Text);
            var (code, output, errors) = await Programs.ExclAsync(dir, Long, "submit", file, "--id", c.Item2, "--gateway", silo.Gateway);
            Assert.True(code is 0 or 1 or 2, $"excl exited {code}: {errors}");
            AssertNoStackTrace(output + errors);
        }, iter: 30, threads: 1, seed: Seed);

        var apiCase = 0;
        await Gen.Select(Files, Ids).SampleAsync(async c =>
        {
            using var response = await silo.Http.PostAsync("/api/sweeps/" + Uri.EscapeDataString(c.Item2),
                new StringContent(c.Item1.Yaml ? c.Item1.Text : c.Item1.Text, Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
            AssertNoStackTrace(body);
            if (!response.IsSuccessStatusCode)
                Assert.NotNull(JsonNode.Parse(body)?["error"]);
            if (++apiCase % 50 == 0)
                Assert.True((await silo.Http.GetAsync("/health")).IsSuccessStatusCode, "the silo stopped answering /health");
        }, iter: 300, threads: 1, seed: Seed);

        Assert.True((await silo.Http.GetAsync("/health")).IsSuccessStatusCode, "the silo stopped answering /health");
        Assert.Equal(before, await silo.Http.GetByteArrayAsync("/api/sweeps/before/export.csv"));
    }

    private static string Mutate(string text, int[] positions, int[] kinds, string[] junk)
    {
        var s = new StringBuilder(text);
        for (var i = 0; i < positions.Length; i++)
        {
            var at = s.Length == 0 ? 0 : positions[i] % s.Length;
            var length = Math.Min(junk[i].Length, s.Length - at);
            switch (kinds[i])
            {
                case 0: s.Remove(at, length); break;
                case 1: s.Insert(at, junk[i]); break;
                case 2: s.Remove(at, length).Insert(at, junk[i]); break;
                default: s.Insert(at, s.ToString(at, length)); break;
            }
        }
        return s.ToString();
    }

    private static void AssertNoStackTrace(string output)
    {
        Assert.DoesNotMatch(StackFrame(), output);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    private static async Task<byte[]> FinishedExportAsync(WebSilo silo, string id)
    {
        var deadline = DateTime.UtcNow + Long;
        while (JsonNode.Parse(await silo.Http.GetStringAsync($"/api/sweeps/{id}"))!["sweep"]!["status"]!.GetValue<string>() == "running")
        {
            Assert.True(DateTime.UtcNow < deadline, $"sweep {id} did not finish within {Long}");
            await Task.Delay(Programs.PollInterval);
        }
        return await silo.Http.GetByteArrayAsync($"/api/sweeps/{id}/export.csv");
    }

    // "   at Namespace.Type.Method(...)": a .NET stack frame.
    [GeneratedRegex(@"\n\s+at [\w.`<>]+\(")]
    private static partial Regex StackFrame();
}
