using ExperimentCluster.CommandTrials.Archives;

namespace ExperimentCluster.Grains.Tests.CommandTrials;

public sealed class IgnoreRulesTests
{
    [Theory]
    [InlineData(".git", true)]
    [InlineData("bin", true)]
    [InlineData("obj", true)]
    [InlineData("__pycache__", true)]
    [InlineData(".excl", true)]
    [InlineData("excl-results", true)]
    [InlineData("src/lib/__pycache__", true)]
    [InlineData("tools/bin", true)]
    [InlineData("src", false)]
    [InlineData(".github", false)]
    [InlineData("binary", false)]
    public void The_built_in_rules_leave_out_these_folders_at_any_depth(string path, bool ignored)
    {
        var rules = IgnoreRules.Parse("");
        Assert.Equal(ignored, rules.IsIgnored(path, isFolder: true));
        // They name folders: a file called "bin" stays.
        Assert.False(rules.IsIgnored(path, isFolder: false));
    }

    [Theory]
    [InlineData("*.log", "train.log", false, true)]
    [InlineData("*.log", "runs/7/train.log", false, true)]
    [InlineData("*.log", "train.log.txt", false, false)]
    [InlineData("run?.txt", "run1.txt", false, true)]
    [InlineData("run?.txt", "run12.txt", false, false)]
    [InlineData("data/", "data", true, true)]
    [InlineData("data/", "src/data", true, true)]
    [InlineData("data/", "data", false, false)]
    [InlineData("/notes.txt", "notes.txt", false, true)]
    [InlineData("/notes.txt", "docs/notes.txt", false, false)]
    [InlineData("docs/build", "docs/build", true, true)]
    [InlineData("docs/build", "src/docs/build", true, false)]
    [InlineData("/out/*.bin", "out/a.bin", false, true)]
    [InlineData("/out/*.bin", "out/sub/a.bin", false, false)]
    [InlineData("**/cache", "a/b/cache", true, true)]
    [InlineData("**/cache", "cache", true, true)]
    [InlineData("logs/**", "logs/a/b.txt", false, true)]
    [InlineData("  *.tmp  ", "x.tmp", false, true)]
    [InlineData("a+b(1).txt", "a+b(1).txt", false, true)]
    [InlineData("a+b(1).txt", "aab(1).txt", false, false)]
    public void A_pattern_matches_as_the_syntax_says(string pattern, string path, bool isFolder, bool ignored)
    {
        Assert.Equal(ignored, IgnoreRules.Parse(pattern).IsIgnored(path, isFolder));
    }

    [Fact]
    public void Comments_and_blank_lines_are_skipped_and_the_last_matching_line_decides()
    {
        var rules = IgnoreRules.Parse("# a comment\n\n*.csv\n!keep.csv\n!bin/\r\n");
        Assert.True(rules.IsIgnored("big.csv", isFolder: false));
        Assert.False(rules.IsIgnored("keep.csv", isFolder: false));
        Assert.False(rules.IsIgnored("# a comment", isFolder: false));
        // "!bin/" takes back the built-in rule.
        Assert.False(rules.IsIgnored("bin", isFolder: true));
        Assert.True(rules.IsIgnored("obj", isFolder: true));
    }

    [Theory]
    [InlineData("/", "line 2")]
    [InlineData("!", "line 2")]
    [InlineData("a\\b", "backslash")]
    public void A_line_that_names_nothing_is_an_error_naming_the_line(string line, string expected)
    {
        var e = Assert.Throws<ArchiveException>(() => IgnoreRules.Parse("ok.txt\n" + line, "/w/.exclignore"));
        Assert.Contains("/w/.exclignore line 2", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Packing_a_code_folder_applies_the_built_in_rules_and_its_exclignore()
    {
        using var source = new ScratchFolder();
        source.Write("train.py", "print(1)");
        source.Write("lib/util.py", "x = 1");
        source.Write("lib/__pycache__/util.cpython-312.pyc", "compiled");
        source.Write(".git/HEAD", "ref: refs/heads/main");
        source.Write("bin/Release/app.dll", "binary");
        source.Write("obj/project.assets.json", "{}");
        source.Write(".excl/experiments.db", "state");
        source.Write("excl-results/s1/runs.csv", "a,b");
        source.Write("data/train.csv", "1,2");
        source.Write("lib/data", "a file named data stays");
        source.Write("notes.txt", "root notes go");
        source.Write("lib/notes.txt", "nested notes stay");
        source.Write("debug.log", "log");
        source.Write(".exclignore", "# what this project leaves out\ndata/\n/notes.txt\n*.log\n");

        var names = TestArchives.Entries(CodeFolder.Pack(source.Path).Archive).Select(e => e.Name);

        Assert.Equal([".exclignore", "lib/", "lib/data", "lib/notes.txt", "lib/util.py", "train.py"], names);
    }
}
