using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>
/// The data-roots boundary over a real silo's HTTP API: a sweep naming a file outside the roots, a device, or a link out
/// of them is refused with 400, the answer holds none of the file's bytes, and the silo keeps serving.
/// </summary>
public sealed class DataRootsTests
{
    private const string EnvironmentSecret = "excl-environment-secret-5d1c";
    private const string CellSecret = "SECRET-VALUE-42";

    [Fact]
    public async Task Files_outside_the_data_roots_are_refused_over_the_api_without_a_byte_of_them_and_the_silo_stays_up()
    {
        var siloDir = Programs.TempFolder();
        var outside = Programs.TempFolder();
        var data = Path.Combine(siloDir, "data");
        Directory.CreateDirectory(data);
        var secretCsv = Path.Combine(outside, "secret.csv");
        await File.WriteAllTextAsync(secretCsv, $"a,label\n{CellSecret},1\n2,0\n3,1\n");
        var link = Path.Combine(data, "link.csv");
        File.CreateSymbolicLink(link, secretCsv);
        var climbing = "data/" + string.Concat(Enumerable.Repeat("../", 16)) + "etc/passwd";

        var (process, client, _) = await SiloProcessTests.StartSiloAsync(siloDir, new()
        {
            ["Experiments__DataRoots__0"] = data,
            ["EXCL_TEST_SECRET"] = EnvironmentSecret,
        });
        using var __ = process;
        using var ___ = client;

        string[] datasets = ["/proc/self/environ", "/etc/shadow", "/dev/zero", climbing, link, secretCsv];
        string[] splitFiles = ["/proc/self/environ", "/dev/zero", link, secretCsv];
        var n = 0;
        foreach (var (field, path) in datasets.Select(p => ("dataset", p)).Concat(splitFiles.Select(p => ("split_file", p))))
        {
            var training = new JsonObject { ["dataset"] = field == "dataset" ? path : "iris", ["epochs"] = 1 };
            if (field == "split_file")
                training["split_file"] = path;
            var sweep = new JsonObject
            {
                ["name"] = "probe",
                ["training"] = training,
                ["search"] = new JsonObject { ["strategy"] = "grid", ["space"] = JsonNode.Parse("""{ "learning_rate": { "values": [0.01] } }""") },
            };
            using var answer = await client.PostAsync($"/api/sweeps/probe-{n++}", new StringContent(sweep.ToJsonString(), Encoding.UTF8, "application/json"));
            var body = await answer.Content.ReadAsStringAsync();
            var what = $"{field} = {path}: {(int)answer.StatusCode} {body}";
            Assert.True(answer.StatusCode == HttpStatusCode.BadRequest, what);
            var error = (string?)JsonNode.Parse(body)!["error"];
            Assert.StartsWith($"training.{field}: ", error, StringComparison.Ordinal);
            Assert.Contains("outside the data roots", error, StringComparison.Ordinal);
            Assert.DoesNotContain(EnvironmentSecret, body, StringComparison.Ordinal);
            Assert.DoesNotContain(CellSecret, body, StringComparison.Ordinal);
            Assert.DoesNotContain("root:", body, StringComparison.Ordinal); // the first field of /etc/passwd and /etc/shadow
            Assert.DoesNotContain("not found", body, StringComparison.Ordinal);
        }

        Assert.True((await client.GetAsync("/health")).IsSuccessStatusCode, "the silo stopped answering /health");
        var sweeps = JsonNode.Parse(await client.GetStringAsync("/api/sweeps"))!.AsArray();
        Assert.Empty(sweeps);
    }

    [Fact]
    public async Task Excl_run_reads_files_beside_the_sweep_file_and_refuses_others_and_excl_train_refuses_a_device()
    {
        var work = Programs.TempFolder();
        var sweeps = Programs.TempFolder();
        var outside = Programs.TempFolder();
        var iris = await File.ReadAllTextAsync(Path.Combine(Programs.RepositoryRoot, "src", "ExperimentCluster.Training", "Data", "iris.csv"));
        await File.WriteAllTextAsync(Path.Combine(sweeps, "flowers.csv"), iris);
        await File.WriteAllTextAsync(Path.Combine(outside, "secret.csv"), $"a,label\n{CellSecret},1\n2,0\n3,1\n");
        string Sweep(string dataset) => $$"""
            { "name": "local", "training": { "dataset": "{{dataset}}", "layers": [4], "batch_size": 16, "epochs": 1 },
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.1] } } } }
            """;
        var beside = Path.Combine(sweeps, "beside.json");
        await File.WriteAllTextAsync(beside, Sweep(Path.Combine(sweeps, "flowers.csv")));
        var away = Path.Combine(sweeps, "away.json");
        await File.WriteAllTextAsync(away, Sweep(Path.Combine(outside, "secret.csv")));
        var timeout = TimeSpan.FromMinutes(3);

        var ran = await Programs.ExclAsync(work, timeout, "run", beside, "--id", "beside", "--json");
        Assert.True(ran.Code == 0, $"run exit {ran.Code}\n{ran.Out}\n{ran.Err}");
        Assert.Equal("completed", (string?)JsonNode.Parse(Programs.LastLine(ran.Out))!["status"]);
        // Its model fits the scaling on the same file again: found beside the sweep file, as the run found it.
        var model = await Programs.ExclAsync(work, timeout, "model", "beside", "--out", "flowers.model.json");
        Assert.True(model.Code == 0, $"model exit {model.Code}\n{model.Out}\n{model.Err}");
        var network = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(work, "flowers.model.json")))!;
        Assert.Equal("sepal_length_cm", (string?)network["features"]![0]);

        var refused = await Programs.ExclAsync(work, timeout, "run", away, "--id", "away");
        Assert.Equal(2, refused.Code);
        Assert.Contains("training.dataset", refused.Err, StringComparison.Ordinal);
        Assert.Contains("outside the data roots", refused.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(CellSecret, refused.Out + refused.Err, StringComparison.Ordinal);

        var device = await Programs.ExclAsync(work, timeout, "train", "--dataset", "/dev/zero", "--target", "y");
        Assert.Equal(2, device.Code);
        Assert.Contains("--dataset: /dev/zero is not a regular file", device.Err, StringComparison.Ordinal);
    }
}
