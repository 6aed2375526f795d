using ExperimentCluster.CommandTrials;
using ExperimentCluster.SweepModel;

namespace ExperimentCluster.Grains.Tests.CommandTrials;

/// <summary>The sweep file's `command` block, read through the sweep model as `excl` and the silos read it.</summary>
public sealed class CommandSpecTests
{
    private const string Valid = """
        {
          "name": "cmd",
          "command": {
            "run": ["python3", "train.py", "--lr", "{learning_rate}", "--seed={seed}"],
            "env": { "DATA": "/data/{sweep}" },
            "epochs": 5
          },
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.01, 0.1] }, "width": { "values": [8, 16] } } }
        }
        """;

    [Fact]
    public void A_valid_command_sweep_spells_out_every_setting_with_its_default()
    {
        var d = SweepDefinition.Parse(Valid);
        var command = Assert.IsType<CommandSpec>(d.Command);
        Assert.Equal(["python3", "train.py", "--lr", "{learning_rate}", "--seed={seed}"], command.Run);
        Assert.Equal("val_loss", command.Metric);
        Assert.False(command.Maximize);
        Assert.Equal((5, 1, 0, 600, 0), (command.Epochs, command.Slots, command.Gpus, command.ReportTimeoutSeconds, command.MaxFailures));
        Assert.Equal(5, d.MaxEpochs);
        Assert.Equal(4, d.MaxRuns);
        // What a run stores reads back to the same spec on any silo.
        var stored = d.SpecJsonFor(new Dictionary<string, string> { ["learning_rate"] = "0.1", ["width"] = "8", ["seed"] = "0" }).ToJsonString();
        var read = CommandSpec.FromRunSpec(stored)!;
        Assert.Equal(command.Run, read.Run);
        Assert.Equal(command.Env, read.Env);
        Assert.Equal(command with { Run = read.Run, Env = read.Env }, read);
    }

    [Theory]
    [InlineData("\"{learning_rate}\"", "\"{lr}\"", "command.run[3]", "{lr}")]
    [InlineData("\"--seed={seed}\"", "\"--seed={seed\"", "command.run[4]", "not closed")]
    [InlineData("\"--seed={seed}\"", "\"--seed=seed}\"", "command.run[4]", "closes nothing")]
    [InlineData("\"/data/{sweep}\"", "\"/data/{run-name}\"", "command.env.DATA", "not a placeholder")]
    [InlineData("[\"python3\", \"train.py\", \"--lr\", \"{learning_rate}\", \"--seed={seed}\"]", "[]", "command.run", "non-empty")]
    [InlineData("[\"python3\",", "[\"\",", "command.run[0]", "empty")]
    [InlineData("[\"python3\",", "[\"  \",", "command.run[0]", "empty")]
    [InlineData("\"epochs\": 5", "\"epochs\": 5, \"metric\": \"val-loss\"", "command.metric", "val-loss")]
    [InlineData("\"epochs\": 5", "\"epochs\": 5, \"metric\": \"epoch\"", "command.metric", "epoch")]
    [InlineData("\"epochs\": 5", "\"epochs\": 5, \"mode\": \"median\"", "command.mode", "min")]
    [InlineData("\"epochs\": 5", "\"slots\": 1", "command.epochs", "required")]
    [InlineData("\"epochs\": 5", "\"epochs\": 0", "command.epochs", "between")]
    [InlineData("\"epochs\": 5", "\"epochs\": 2.5", "command.epochs", "whole")]
    [InlineData("\"epochs\": 5", "\"epochs\": 5, \"report_timeout\": 0", "command.report_timeout", "between")]
    [InlineData("\"epochs\": 5", "\"epochs\": 5, \"max_failures\": -1", "command.max_failures", "between")]
    [InlineData("\"epochs\": 5", "\"epochs\": 5, \"cwd\": \"../elsewhere\"", "command.cwd", "relative")]
    [InlineData("\"epochs\": 5", "\"epochs\": 5, \"code\": \"sha256:abc\"", "command.code", "sha256")]
    [InlineData("\"epochs\": 5", "\"epochs\": 5, \"epoch\": 5", "command.epoch", "unknown key")]
    [InlineData("\"DATA\": \"/data/{sweep}\"", "\"EXCL_SEED\": \"1\"", "command.env.EXCL_SEED", "EXCL_")]
    [InlineData("\"DATA\": \"/data/{sweep}\"", "\"1DATA\": \"x\"", "command.env.1DATA", "letters")]
    [InlineData("\"name\": \"cmd\",", "\"name\": \"cmd\", \"training\": { \"dataset\": \"iris\", \"epochs\": 5 },", "training", "not both")]
    public void A_bad_command_names_the_field_by_its_path(string from, string to, string path, string reasonHas)
    {
        var text = Valid.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Valid, text);
        var e = Assert.Throws<SweepException>(() => SweepDefinition.Parse(text));
        Assert.Equal(path, e.Path);
        Assert.Contains(reasonHas, e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_objective_the_answer_names_is_the_metric_unless_it_is_the_default_validation_loss()
    {
        var accuracy = Valid.Replace("\"epochs\": 5", "\"epochs\": 5, \"metric\": \"val_accuracy\", \"mode\": \"max\"", StringComparison.Ordinal);

        Assert.Equal(new ExperimentCluster.Tuning.Objective("val_accuracy", Maximize: true), SweepDefinition.Parse(accuracy).Objective);
        Assert.Equal(ExperimentCluster.Tuning.Objective.ValidationLoss, SweepDefinition.Parse(Valid).Objective);
    }

    [Fact]
    public void An_unknown_placeholder_lists_the_names_a_placeholder_may_use()
    {
        var e = Assert.Throws<SweepException>(() => SweepDefinition.Parse(Valid.Replace("{learning_rate}", "{lr}", StringComparison.Ordinal)));
        Assert.Equal("command.run[3]", e.Path);
        foreach (var known in new[] { "{learning_rate}", "{width}", "{seed}", "{run}", "{sweep}", "{checkpoint_dir}" })
            Assert.Contains(known, e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_short_form_is_the_program_and_its_arguments_and_still_needs_epochs()
    {
        var e = Assert.Throws<SweepException>(() => SweepDefinition.Parse("""
            { "name": "s", "command": ["python3", "train.py"], "search": { "strategy": "grid", "space": { "x": { "values": [1] } } } }
            """));
        Assert.Equal("command.epochs", e.Path);
    }

    [Fact]
    public void The_lr_range_strategy_is_refused_for_a_command_sweep_before_anything_runs()
    {
        var e = Assert.Throws<SweepException>(() => SweepDefinition.Parse("""
            {
              "name": "cmd-range",
              "command": { "run": ["python3", "train.py", "{learning_rate}"], "epochs": 5 },
              "search": { "strategy": "lr-range", "trials": 4, "space": { "learning_rate": { "log_uniform": [0.0001, 1] } } }
            }
            """));
        Assert.Equal("search.strategy", e.Path);
        Assert.Contains("lr-range", e.Reason, StringComparison.Ordinal);
        Assert.Contains("command", e.Reason, StringComparison.Ordinal);
    }
}
