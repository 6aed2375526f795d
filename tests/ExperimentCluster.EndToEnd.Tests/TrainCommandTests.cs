using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>`excl train` and `excl lr-find` as a user runs them: a separate process, its exit code and its output.</summary>
public sealed class TrainCommandTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);

    private static readonly string[] Digits = ["--dataset", "digits", "--layers", "32", "--activation", "relu", "--optimizer", "sgd", "--batch-size", "32", "--seed", "0"];

    [Fact]
    public async Task Train_json_prints_one_object_per_epoch_then_the_outcome_and_reaches_95_percent_on_digits()
    {
        var folder = Programs.TempFolder();
        var (code, output, errors) = await Programs.ExclAsync(folder, Long, ["train", .. Digits, "--lr", "0.1", "--epochs", "20", "--json", "--save-model", "digits.json"]);
        Assert.True(code == 0, errors);
        var lines = Lines(output).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(21, lines.Count);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(i + 1, (int)lines[i]["epoch"]!);
            foreach (var key in new[] { "train_loss", "val_loss", "val_accuracy", "learning_rate", "seconds" })
                Assert.True(lines[i].ContainsKey(key), $"epoch line {i + 1} has no {key}");
        }
        var last = lines[^1];
        Assert.Equal("completed", (string?)last["status"]);
        Assert.Null(last["diverged_at_epoch"]);
        Assert.True((double)last["val_accuracy"]! >= 0.95, last.ToJsonString());

        // The trained network, in the file excl model writes for a run (said on standard error: standard output stays JSON).
        Assert.Contains("wrote digits.json: the network after epoch 20;", errors, StringComparison.Ordinal);
        var model = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "digits.json")))!;
        Assert.Equal(("excl-mlp-1", 20, 10), ((string?)model["format"], (int)model["epoch"]!, (int)model["classes"]!));
        Assert.Equal([64, 32], model["layers"]!.AsArray().Select(l => l!["weights"]!.AsArray().Count));
        // A second run never replaces it, and says so before it trains.
        var again = await Programs.ExclAsync(folder, Long, ["train", .. Digits, "--epochs", "1", "--save-model", "digits.json"]);
        Assert.Equal(2, again.Code);
        Assert.Equal("excl train: --save-model: digits.json is there already; name another file or move it away", again.Err.Trim());
        Assert.Equal("", again.Out);
    }

    [Fact]
    public async Task Train_at_learning_rate_10_ends_diverged_and_its_json_stays_valid()
    {
        var (code, output, errors) = await Programs.ExclAsync(Programs.TempFolder(), Long, ["train", .. Digits, "--lr", "10", "--epochs", "20", "--json"]);
        Assert.True(code == 0, errors);
        var last = JsonNode.Parse(Lines(output)[^1])!;
        Assert.Equal("diverged", (string?)last["status"]);
        Assert.True((int)last["diverged_at_epoch"]! >= 1);
        Assert.All(Lines(output), l => JsonNode.Parse(l));

        // Asked for its model, a diverged run writes none and exits 1, so that a script's next step does not find an old file.
        var folder = Programs.TempFolder();
        var saving = await Programs.ExclAsync(folder, Long, ["train", .. Digits, "--lr", "10", "--epochs", "20", "--save-model", "m.json"]);
        Assert.Equal(1, saving.Code);
        Assert.Contains("--save-model: nothing written to m.json: the run diverged at epoch", saving.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "m.json")));
    }

    [Fact]
    public async Task Train_without_json_prints_a_table_row_per_epoch()
    {
        var (code, output, errors) = await Programs.ExclAsync(Programs.TempFolder(), Long, ["train", .. Digits, "--lr", "0.1", "--epochs", "3"]);
        Assert.True(code == 0, errors);
        var lines = Lines(output);
        Assert.StartsWith("epoch", lines[0], StringComparison.Ordinal);
        Assert.Contains("val_loss", lines[0], StringComparison.Ordinal);
        Assert.Equal(["1", "2", "3"], lines[1..4].Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]));
        Assert.StartsWith("completed 3 epochs", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lr_find_suggests_a_positive_learning_rate_with_its_curve()
    {
        var (code, output, errors) = await Programs.ExclAsync(Programs.TempFolder(), Long, ["lr-find", .. Digits, "--json"]);
        Assert.True(code == 0, errors);
        var result = JsonNode.Parse(Lines(output)[^1])!;
        Assert.InRange((double)result["suggested_learning_rate"]!, 1e-4, 10);
        Assert.True((int)result["points"]! > 10);
    }

    [Fact]
    public async Task Lr_find_whose_loss_still_falls_at_the_end_rate_says_so_and_how_to_read_the_valley()
    {
        // Wine with sgd: the loss falls all the way to 10 (seen by hand), so the suggestion is a floor.
        var (code, output, errors) = await Programs.ExclAsync(Programs.TempFolder(), Long, ["lr-find", "--dataset", "wine", "--layers", "16", "--seed", "0"]);

        Assert.True(code == 0, errors);
        Assert.Contains("the loss still fell at the last rate tested", output, StringComparison.Ordinal);
        Assert.EndsWith("to read the valley, try --end-lr 1000", output.TrimEnd(), StringComparison.Ordinal);
        var higher = await Programs.ExclAsync(Programs.TempFolder(), Long, ["lr-find", "--dataset", "wine", "--layers", "16", "--seed", "0", "--end-lr", "1000"]);
        Assert.True(higher.Code == 0, higher.Err);
        Assert.DoesNotContain("still fell", higher.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("try --end-lr", higher.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--activation swish", "--activation: unknown activation 'swish' (known:")]
    [InlineData("--activation Relu", "--activation: unknown activation 'Relu' (did you mean 'relu'?)")]
    [InlineData("--lr -1", "--learning-rate (--lr): must be a positive finite number")]
    [InlineData("--lr NaN", "--learning-rate (--lr): must be a positive finite number")]
    [InlineData("--batch-size 5000", "--batch-size: 5000 is above the 1437 training rows")]
    [InlineData("--optimizer adamx", "--optimizer: unknown optimizer 'adamx'")]
    [InlineData("--dataset table.csv --target nope", "--target: table.csv has no column 'nope'")]
    [InlineData("--dataset broken.csv --target y", "--dataset: broken.csv line 3, column 'b': text, not a number")]
    [InlineData("--dataset absent.csv --target y", "--dataset: file not found: absent.csv")]
    [InlineData("--bogus 1", "excl train: --bogus: unknown option")]
    [InlineData("--lr", "excl train: --learning-rate: a value is required")]
    [InlineData("--lr 0.1 --learning-rate 0.2", "excl train: --learning-rate: given more than once")]
    public async Task A_bad_option_exits_with_code_2_and_one_line_naming_it(string options, string message)
    {
        var dir = Programs.TempFolder();
        await File.WriteAllTextAsync(Path.Combine(dir, "table.csv"), "a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "broken.csv"), "a,b,y\n1,2,0\n3,x,1\n5,6,0\n7,8,1\n");
        var (code, output, errors) = await Programs.ExclAsync(dir, Long, ["train", .. options.Split(' '), "--epochs", "2"]);
        Assert.Equal(2, code);
        Assert.Empty(output);
        var line = Assert.Single(Lines(errors));
        Assert.Contains(message, line, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
