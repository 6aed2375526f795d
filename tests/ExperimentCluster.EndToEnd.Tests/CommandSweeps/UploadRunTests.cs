using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests.CommandSweeps;

/// <summary>`excl run SWEEP --upload DIR` from end to end: the folder is stored once by its hash, unpacked into the data
/// folder's code cache less what .exclignore names, and the trials run there, not in DIR.</summary>
[Collection(CommandSweepGroup.Name)]
public sealed class UploadRunTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    /// <summary>Says where it runs and what it finds there, then reports two epochs.</summary>
    private const string Script = """
        import os, sys
        import excl_trial

        trial = excl_trial.init()
        print("cwd=" + os.getcwd(), file=sys.stderr, flush=True)
        print("secret.txt here: %s, data/keep.txt here: %s" % (os.path.exists("secret.txt"), os.path.exists("data/keep.txt")), file=sys.stderr, flush=True)
        for epoch in range(1, trial.max_epochs + 1):
            trial.report(epoch, val_loss=1.0 / epoch)
        """;

    private const string Sweep = """
        { "name": "where",
          "command": { "run": ["python3", "where.py"], "epochs": 2, "report_timeout": 120 },
          "search": { "strategy": "grid", "space": { "x": { "values": [1] } } } }
        """;

    [Fact]
    public async Task The_code_is_stored_once_unpacked_into_the_data_folders_code_cache_without_what_exclignore_names_and_the_trials_run_there()
    {
        var dir = Programs.TempFolder();
        var code = Directory.CreateDirectory(Path.Combine(dir, "code")).FullName;
        await File.WriteAllTextAsync(Path.Combine(code, "where.py"), Script);
        await File.WriteAllTextAsync(Path.Combine(code, "secret.txt"), "not for the cluster");
        await File.WriteAllTextAsync(Path.Combine(code, ".exclignore"), "# kept on this machine\nsecret.txt\n");
        Directory.CreateDirectory(Path.Combine(code, "data"));
        await File.WriteAllTextAsync(Path.Combine(code, "data", "keep.txt"), "uploaded");
        await File.WriteAllTextAsync(Path.Combine(dir, "sweep.json"), Sweep);
        var data = Path.Combine(dir, "data");

        var first = await RunAsync(dir, code, data);
        Assert.Matches($@"^uploaded {System.Text.RegularExpressions.Regex.Escape(code)}: 3 files, \d+ KiB, sha256:[0-9a-f]+… \(stored\)$", UploadLine(first.Err));
        var second = await RunAsync(dir, code, data);
        Assert.Matches(@"\(already stored\)$", UploadLine(second.Err));

        // The data folder's cache holds the folder once, by its hash, without secret.txt.
        var unpacked = Assert.Single(Directory.GetDirectories(Path.Combine(data, "code")));
        Assert.True(File.Exists(Path.Combine(unpacked, "where.py")));
        Assert.True(File.Exists(Path.Combine(unpacked, "data", "keep.txt")));
        Assert.False(File.Exists(Path.Combine(unpacked, "secret.txt")), "secret.txt was uploaded although .exclignore names it");

        // Both sweeps' trials ran in the unpacked copy, not in the folder that was uploaded.
        foreach (var id in new[] { first.SweepId, second.SweepId })
        {
            var logs = await Programs.ExclAsync(dir, Long, "logs", id, "0", "--data-dir", data);
            Assert.True(logs.Code == 0, $"excl logs {id}: {logs.Code}\n{logs.Err}");
            Assert.Contains($"cwd={unpacked}\n", logs.Out.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains("secret.txt here: False, data/keep.txt here: True", logs.Out, StringComparison.Ordinal);
            Assert.DoesNotContain($"cwd={code}\n", logs.Out, StringComparison.Ordinal);
        }
    }

    private static async Task<(string SweepId, string Err)> RunAsync(string dir, string code, string data)
    {
        var run = await Programs.ExclAsync(dir, Long, "run", "sweep.json", "--upload", code, "--data-dir", data, "--json");
        Assert.True(run.Code == 0, $"excl run: exit {run.Code}\n{run.Out}\n{run.Err}");
        var summary = JsonNode.Parse(Programs.LastLine(run.Out))!;
        Assert.Equal("completed", (string?)summary["status"]);
        Assert.Equal(1, (int)summary["counts"]!["completed"]!);
        return ((string)summary["sweep_id"]!, run.Err);
    }

    private static string UploadLine(string errors) =>
        Assert.Single(errors.Split('\n'), l => l.StartsWith("uploaded ", StringComparison.Ordinal)).Trim();
}
