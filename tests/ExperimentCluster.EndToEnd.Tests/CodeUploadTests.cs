using System.Text.Json.Nodes;
using ExperimentCluster.Cli;
using ExperimentCluster.Cli.Commands;
using ExperimentCluster.CommandTrials.Archives;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>
/// `--upload DIR` on excl run and submit, as far as it goes without a command sweep: a sweep without a `command` block
/// is refused before anything connects, and the sweep text of a command sweep gets the packed folder's hash.
/// </summary>
public sealed class CodeUploadTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);

    private const string Refusal = "--upload: only a command sweep (with `command:`) runs uploaded code";

    private const string BuiltInSweep = """
        { "name": "plain", "training": { "dataset": "iris", "epochs": 1 },
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.01] } } } }
        """;

    [Fact]
    public async Task Run_and_submit_refuse_an_upload_for_a_sweep_without_a_command_block_before_connecting()
    {
        var dir = Programs.TempFolder();
        await File.WriteAllTextAsync(Path.Combine(dir, "plain.json"), BuiltInSweep);
        await File.WriteAllTextAsync(Path.Combine(dir, "plain.yaml"), "name: plain\ntraining: { dataset: iris, epochs: 1 }\nsearch: { strategy: grid, space: { learning_rate: { values: [0.01] } } }\n");
        Directory.CreateDirectory(Path.Combine(dir, "code"));
        await File.WriteAllTextAsync(Path.Combine(dir, "code", "train.py"), "print(1)\n");

        string[][] commands =
        [
            ["run", "plain.json", "--upload", "code"],
            ["run", "plain.yaml", "--upload", "code"],
            ["run", "--example", "quick", "--upload", "code"],
            // No cluster listens there: the refusal comes before any connection is tried.
            ["submit", "plain.json", "--upload", "code", "--gateway", $"127.0.0.1:{Programs.FreePort()}"],
        ];
        foreach (var command in commands)
        {
            var (code, output, errors) = await Programs.ExclAsync(dir, Long, command);
            var what = $"excl {string.Join(' ', command)}: exit {code}\n{output}\n{errors}";
            Assert.True(code == 2, what);
            Assert.Equal($"excl {command[0]}: {Refusal}", errors.Trim());
        }
        // Nothing trained, nothing stored: the embedded run never opened its data folder.
        Assert.False(Directory.Exists(Path.Combine(dir, ".excl")));
    }

    [Fact]
    public void A_command_sweep_gets_the_hash_of_the_packed_folder_as_command_code_and_keeps_everything_else()
    {
        var dir = Programs.TempFolder();
        var code = Path.Combine(dir, "code");
        Directory.CreateDirectory(Path.Combine(code, "__pycache__"));
        File.WriteAllText(Path.Combine(code, "train.py"), "print(1)\n");
        File.WriteAllText(Path.Combine(code, "__pycache__", "train.pyc"), "left out");
        const string sweep = """
            { "name": "mine", // comments and trailing commas, as the sweep parser allows
              "command": { "run": ["python3", "train.py", "--lr", "{lr}"], "epochs": 3, },
              "search": { "strategy": "grid", "space": { "lr": { "values": [0.1] } } } }
            """;

        var upload = CodeUpload.Prepare(code, sweep);

        Assert.Equal(1, upload.Packed.Files);
        Assert.Equal(CodeHash.Of(CodeFolder.Pack(code).Archive), upload.Hash);
        var json = JsonNode.Parse(upload.SweepJson)!.AsObject();
        Assert.Equal(upload.Hash, (string?)json["command"]!["code"]);
        Assert.Equal(["python3", "train.py", "--lr", "{lr}"], json["command"]!["run"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(3, (int)json["command"]!["epochs"]!);
        Assert.Equal(["name", "command", "search"], json.Select(p => p.Key));

        // A sweep that names its code already, and a folder that cannot be packed, are refused naming the option.
        var named = Assert.Throws<CliException>(() => CodeUpload.Prepare(code, upload.SweepJson));
        Assert.Contains("--upload: the sweep file names its code already", named.Message, StringComparison.Ordinal);
        File.CreateSymbolicLink(Path.Combine(code, "data"), "/etc");
        var link = Assert.Throws<CliException>(() => CodeUpload.Prepare(code, sweep));
        Assert.StartsWith("--upload: ", link.Message, StringComparison.Ordinal);
        Assert.Contains("a symbolic link", link.Message, StringComparison.Ordinal);
        Assert.Contains(".exclignore", link.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<CliException>(() => CodeUpload.Prepare(Path.Combine(dir, "nope"), sweep));
        Assert.Contains("no such folder", missing.Message, StringComparison.Ordinal);
    }
}
