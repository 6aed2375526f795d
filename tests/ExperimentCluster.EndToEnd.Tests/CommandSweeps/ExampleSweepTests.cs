using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ExperimentCluster.EndToEnd.Tests.CommandSweeps;

/// <summary>
/// The repository's command-sweep examples as `excl examples` lists them, run from the repository's root with the
/// listed command: the uploaded folder must hold everything the trial needs (for .NET, the built program in bin/).
/// </summary>
[Collection(CommandSweepGroup.Name)]
public sealed partial class ExampleSweepTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(6);
    private static readonly string Configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    [Fact]
    public async Task Excl_examples_lists_both_command_sweeps_with_a_description_and_the_command_that_runs_each_from_the_repository_root()
    {
        var listing = await ListingAsync();
        Assert.Equal(["examples/python/sweep.yaml", "examples/dotnet/sweep.yaml"], listing.Keys.ToArray());
        foreach (var (file, (description, command)) in listing)
        {
            Assert.True(File.Exists(Path.Combine(Programs.RepositoryRoot, file)), $"{file} is listed but not in the repository");
            Assert.True(description.Length > 20, $"{file}: no description");
            // The command runs the listed file with its own folder as the code.
            Assert.EndsWith($"excl run {file} --upload {Path.GetDirectoryName(file)}", command, StringComparison.Ordinal);
        }
        Assert.StartsWith("dotnet build examples/dotnet -c Release && ", listing["examples/dotnet/sweep.yaml"].Command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_python_example_runs_as_listed_and_settles_on_the_rate_its_answer_names()
    {
        var command = (await ListingAsync())["examples/python/sweep.yaml"].Command;
        var (summary, temp) = await RunListedAsync(command, sweepFile: null);

        Assert.Equal("completed", (string?)summary["status"]);
        Assert.Null(summary["counts"]!["failed"]);
        // The search judges a rate by the mean of its three seeds, as the answer does, so both name one rate (judged by
        // the first seed alone, the search settled on 1.78 while the answer named 0.316).
        var best = SettledRate(summary);
        Assert.InRange(best, 0.1, 5);
        Assert.Equal(best, (double)summary["best_hyperparameters"]!["learning_rate"]!);
        Assert.Contains($"the best learning rate is {best.ToString(CultureInfo.InvariantCulture)}:", (string?)summary["answer"], StringComparison.Ordinal);

        // The kept run's checkpoint folder, as its program wrote it after its last epoch: unpacked, or as the stored archive.
        var id = (string)summary["sweep_id"]!;
        var data = Path.Combine(temp, "data");
        var folder = Path.Combine(temp, "model");
        var model = await Programs.ExclAsync(temp, Long, "model", id, "--data-dir", data, "--out", folder);
        Assert.True(model.Code == 0, $"exit {model.Code}\n{model.Out}\n{model.Err}");
        Assert.Matches($@"^wrote {Regex.Escape(folder)}/: what the program of run \d+ of '{Regex.Escape(id)}' \(learning_rate=[^ ]+ seed=\d\) wrote to its checkpoint folder after epoch 20 \(\d+ files?\)", model.Out);
        // The helper keeps its state as JSON, the newest under the epoch it reported.
        Assert.NotNull(JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "excl-state-20.json"))));
        var archive = Path.Combine(temp, "model.tar.gz");
        Assert.Equal(0, (await Programs.ExclAsync(temp, Long, "model", id, "--data-dir", data, "--out", archive)).Code);
        Assert.Equal([0x1f, 0x8b], (await File.ReadAllBytesAsync(archive))[..2]);
        // A folder with something in it is never filled.
        var again = await Programs.ExclAsync(temp, Long, "model", id, "--data-dir", data, "--out", folder);
        Assert.Equal(2, again.Code);
        Assert.Contains($"--out: the folder {folder} is there already and not empty", again.Err, StringComparison.Ordinal);
        // Its program's files are no network excl can predict with, and excl predict says what there is instead.
        var predict = await Programs.ExclAsync(temp, Long, "predict", id, "--data-dir", data, "--dataset", "rows.csv");
        Assert.Equal(2, predict.Code);
        Assert.Matches($@"^excl predict: run \d+ of '{Regex.Escape(id)}' is a command trial: what it keeps is its program's checkpoint folder \(excl model {Regex.Escape(id)} \d+ --data-dir ", predict.Err);
    }

    [Fact]
    public async Task The_dotnet_example_runs_as_listed_from_its_uploaded_folder_with_the_built_program_in_it()
    {
        // The listed command less its build step (the test project builds the example), on a shorter copy of the sweep:
        // one seed, three epochs, and the build of this test's configuration.
        var command = (await ListingAsync())["examples/dotnet/sweep.yaml"].Command;
        var exclPart = command[(command.IndexOf("&& ", StringComparison.Ordinal) + 3)..];
        var shorter = Path.Combine(Programs.TempFolder(), "sweep.yaml");
        var text = await File.ReadAllTextAsync(Path.Combine(Programs.RepositoryRoot, "examples", "dotnet", "sweep.yaml"));
        await File.WriteAllTextAsync(shorter, text
            .Replace("seeds: 3", "seeds: 1", StringComparison.Ordinal)
            .Replace("epochs: 20", "epochs: 3", StringComparison.Ordinal)
            .Replace("bin/Release/", $"bin/{Configuration}/", StringComparison.Ordinal));
        var (summary, _) = await RunListedAsync(exclPart, shorter);

        Assert.Equal("completed", (string?)summary["status"]);
        Assert.Null(summary["counts"]!["failed"]);
        Assert.True((int?)summary["counts"]!["completed"] >= 3, summary.ToJsonString());
        Assert.InRange(SettledRate(summary), 0.1, 5);
    }

    /// <summary>The command sweeps of `excl examples`: sweep file -> (description, command).</summary>
    private static async Task<Dictionary<string, (string Description, string Command)>> ListingAsync()
    {
        var list = await Programs.ExclAsync(Programs.TempFolder(), Long, "examples");
        Assert.True(list.Code == 0, list.Err);
        var lines = list.Out.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var found = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            if (ListedFile().Match(lines[i]) is { Success: true } m)
                found[m.Groups[1].Value] = (m.Groups[2].Value.Trim(), lines[i + 1].Trim());
        }
        return found;
    }

    /// <summary>Runs `excl run ...` as listed, from the repository's root, with its data and results in a temporary folder.</summary>
    private static async Task<(JsonNode Summary, string Folder)> RunListedAsync(string command, string? sweepFile)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["excl", "run"], words[..2]);
        var args = words[1..].ToList();
        if (sweepFile is not null)
            args[1] = sweepFile;
        var temp = Programs.TempFolder();
        args.AddRange(["--data-dir", Path.Combine(temp, "data"), "--out", Path.Combine(temp, "results"), "--json"]);
        var run = await Programs.ExclAsync(Programs.RepositoryRoot, Long, [.. args]);
        Assert.True(run.Code == 0, $"excl {string.Join(' ', args)}: exit {run.Code}\n{run.Err}\n{run.Out}");
        Assert.Contains("(stored)", run.Err, StringComparison.Ordinal);
        return (JsonNode.Parse(Programs.LastLine(run.Out))!, temp);
    }

    /// <summary>The rate the summary's answer settles on ("Settled on learning_rate = X ...").</summary>
    private static double SettledRate(JsonNode summary)
    {
        var explanation = (string?)summary["explanation"] ?? "";
        var m = Settled().Match(explanation);
        Assert.True(m.Success, $"the answer names no rate: {explanation}");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(examples/\S+/sweep\.yaml)\s+(.+)$")]
    private static partial Regex ListedFile();

    [GeneratedRegex(@"Settled on learning_rate = ([0-9.eE+-]+) ")]
    private static partial Regex Settled();
}
