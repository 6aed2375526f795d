using System.CommandLine;
using ExperimentCluster.Cli;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>
/// `excl` explains itself: the tree is the one the program runs (<see cref="ExclCommands.Build"/>), so a command added
/// there is checked here without being named.
/// </summary>
public sealed class HelpTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    /// <summary>Every command of the tree, nested ones included, as the words that name it (`run`, `a b`).</summary>
    public static TheoryData<string> CommandPaths()
    {
        var paths = new TheoryData<string>();
        void Walk(Command command, string path)
        {
            foreach (var sub in command.Subcommands)
            {
                var subPath = path.Length == 0 ? sub.Name : $"{path} {sub.Name}";
                paths.Add(subPath);
                Walk(sub, subPath);
            }
        }
        Walk(ExclCommands.Build(), "");
        return paths;
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public async Task Help_of_every_command_exits_0_and_names_each_of_its_options_and_arguments(string path)
    {
        var words = path.Split(' ');
        Command command = ExclCommands.Build();
        foreach (var word in words)
            command = command.Subcommands.Single(c => c.Name == word);

        var (code, output, errors) = await Programs.ExclAsync(Programs.TempFolder(), Timeout, [.. words, "--help"]);

        Assert.True(code == 0, errors);
        Assert.Contains($"excl {path}", output, StringComparison.Ordinal);
        Assert.Contains("--help", output, StringComparison.Ordinal);
        foreach (var option in command.Options)
            Assert.Contains(option.Name, output, StringComparison.Ordinal);
        foreach (var argument in command.Arguments)
            Assert.Contains($"<{argument.Name}>", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_command_and_option_has_a_description()
    {
        var missing = new List<string>();
        void Walk(Command command, string path)
        {
            if (string.IsNullOrWhiteSpace(command.Description)) missing.Add(path);
            missing.AddRange(command.Options.Where(o => string.IsNullOrWhiteSpace(o.Description)).Select(o => $"{path} {o.Name}"));
            missing.AddRange(command.Arguments.Where(a => string.IsNullOrWhiteSpace(a.Description)).Select(a => $"{path} <{a.Name}>"));
            foreach (var sub in command.Subcommands)
                Walk(sub, $"{path} {sub.Name}");
        }
        Walk(ExclCommands.Build(), "excl");
        Assert.Empty(missing);
    }

    [Fact]
    public async Task Help_lists_every_command_with_its_description()
    {
        var (code, output, errors) = await Programs.ExclAsync(Programs.TempFolder(), Timeout, "--help");

        Assert.True(code == 0, errors);
        foreach (var command in ExclCommands.Build().Subcommands)
        {
            var line = output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(command.Name + " ", StringComparison.Ordinal));
            Assert.True(line is not null, $"no line for {command.Name} in:\n{output}");
            Assert.Contains(command.Description!, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Version_exits_0_and_prints_a_version()
    {
        var (code, output, errors) = await Programs.ExclAsync(Programs.TempFolder(), Timeout, "--version");

        Assert.True(code == 0, errors);
        Assert.Matches("^[0-9]+\\.[0-9]+", output.Trim());
    }

    [Theory]
    [InlineData(new[] { "run", "--example", "quick", "--bogus", "1" }, "excl run: --bogus: unknown option")]
    [InlineData(new[] { "watch" }, "excl watch: usage: excl watch ID")]
    [InlineData(new[] { "show", "a", "b" }, "excl show: unexpected argument 'b'")]
    [InlineData(new[] { "list", "--data-dir" }, "excl list: --data-dir: a value is required")]
    [InlineData(new[] { "list", "--data-dir", "a", "--data-dir", "b" }, "excl list: --data-dir: given more than once")]
    [InlineData(new[] { "lr-find", "--steps", "many" }, "excl lr-find: --steps: 'many' is not a whole number")]
    [InlineData(new[] { "logs", "s", "x" }, "excl logs: RUN: 'x' is not a run number")]
    [InlineData(new[] { "frobnicate" }, "excl: unknown command 'frobnicate' (--help lists them)")]
    [InlineData(new[] { "run", "--example", "quick", "--slot", "2" }, "excl run: --slot: unknown option (did you mean '--slots'?)")]
    [InlineData(new[] { "show", "--dat-dir", "d" }, "excl show: --dat-dir: unknown option (did you mean '--data-dir'?)")]
    [InlineData(new[] { "wach", "s" }, "excl: unknown command 'wach' (did you mean 'watch'?)")]
    [InlineData(new[] { "resume", "s", "--gateway", "127.0.0.1:1", "--slots", "2" }, "excl resume: --slots: only for a data folder (a cluster's silos train with their own Experiments:TrainingSlots)")]
    [InlineData(new string[0], "usage: excl COMMAND")]
    public async Task A_bad_command_line_is_one_line_on_stderr_with_exit_code_2_and_no_help(string[] args, string message)
    {
        var (code, output, errors) = await Programs.ExclAsync(Programs.TempFolder(), Timeout, args);

        Assert.Equal(2, code);
        Assert.Empty(output);
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith(message, line, StringComparison.Ordinal);
    }
}
