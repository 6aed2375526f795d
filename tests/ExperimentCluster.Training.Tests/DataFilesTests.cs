using System.Diagnostics;
using ExperimentCluster.Training.Data;

namespace ExperimentCluster.Training.Tests;

/// <summary>The data-roots rule: what a sweep may read, and that a refusal says why without a byte of the file.</summary>
public sealed class DataFilesTests
{
    private const string Csv = "a,b,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n";

    private readonly string _root = TestPaths.NewTempDirectory();
    private readonly string _outside = TestPaths.NewTempDirectory();

    private DataFiles Files => new([_root]);

    [Fact]
    public void A_file_under_a_root_is_read_and_one_outside_is_refused_naming_the_path_and_the_roots()
    {
        var inside = Write(_root, "in.csv", Csv);
        Assert.Equal(Csv, Files.ReadAllText(inside, "dataset"));

        var outside = Write(_outside, "out.csv", "a,label\nSECRET-VALUE-42,1\n");
        var e = Assert.Throws<SpecException>(() => Files.ReadAllText(outside, "dataset"));
        Assert.Equal("dataset", e.Field);
        Assert.Equal($"{outside} is outside the data roots ({Files.Roots[0]})", e.Reason);
        Assert.DoesNotContain("SECRET", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_outside_the_roots_reads_the_same_as_an_existing_one()
    {
        var existing = Write(_outside, "there.csv", Csv);
        var missing = Path.Combine(_outside, "not-there.csv");
        var a = Assert.Throws<SpecException>(() => Files.Check(existing, "dataset")).Reason;
        var b = Assert.Throws<SpecException>(() => Files.Check(missing, "dataset")).Reason;
        Assert.Equal(a.Replace(existing, "PATH", StringComparison.Ordinal), b.Replace(missing, "PATH", StringComparison.Ordinal));
        // Inside a root, missing is worth saying: the user named a file that is theirs to create.
        Assert.Equal($"file not found: {Path.Combine(_root, "absent.csv")}", Assert.Throws<SpecException>(() => Files.Check(Path.Combine(_root, "absent.csv"), "dataset")).Reason);
    }

    [Fact]
    public void Dot_dot_climbing_out_of_a_root_is_refused_and_climbing_within_it_is_not()
    {
        Write(_outside, "out.csv", Csv);
        var climbing = Path.Combine(_root, "..", Path.GetFileName(_outside), "out.csv");
        Assert.Contains("outside the data roots", Assert.Throws<SpecException>(() => Files.Check(climbing, "split_file")).Reason, StringComparison.Ordinal);
        Assert.Contains("outside the data roots", Assert.Throws<SpecException>(() => Files.Check(_root + "/../../../../../../../../etc/passwd", "dataset")).Reason, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        Write(_root, "in.csv", Csv);
        Assert.Equal(Csv, Files.ReadAllText(Path.Combine(_root, "sub", "..", "in.csv"), "dataset"));
    }

    [Fact]
    public void A_symlink_inside_a_root_that_points_out_of_it_is_refused_and_one_that_stays_inside_is_followed()
    {
        var secret = Write(_outside, "secret.csv", "a,label\nSECRET-VALUE-42,1\n");
        var link = Path.Combine(_root, "link.csv");
        File.CreateSymbolicLink(link, secret);
        var e = Assert.Throws<SpecException>(() => Files.ReadAllText(link, "dataset"));
        Assert.Contains("outside the data roots", e.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", e.Reason, StringComparison.Ordinal);

        // A link to a folder outside, then ".." from there: the kernel walks the link's target, and so does the rule.
        Directory.CreateDirectory(Path.Combine(_outside, "deeper"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "away"), Path.Combine(_outside, "deeper"));
        Assert.Contains("outside the data roots", Assert.Throws<SpecException>(() => Files.Check(Path.Combine(_root, "away", "..", "secret.csv"), "dataset")).Reason, StringComparison.Ordinal);

        var target = Write(_root, "real.csv", Csv);
        var inner = Path.Combine(_root, "inner.csv");
        File.CreateSymbolicLink(inner, "real.csv");
        Assert.Equal(Csv, Files.ReadAllText(inner, "dataset"));
        Assert.Equal(target, Files.Check(inner, "dataset").FullPath);
    }

    [Fact]
    public void A_root_reached_through_a_symlink_still_holds_its_files()
    {
        var link = Path.Combine(_outside, "root-link");
        Directory.CreateSymbolicLink(link, _root);
        var file = Write(_root, "in.csv", Csv);
        Assert.Equal(Csv, new DataFiles([link]).ReadAllText(file, "dataset"));
    }

    [Fact]
    public void A_folder_is_not_a_regular_file()
    {
        Directory.CreateDirectory(Path.Combine(_root, "folder.csv"));
        Assert.Equal($"{Path.Combine(_root, "folder.csv")} is not a regular file (it is a folder)",
            Assert.Throws<SpecException>(() => Files.Check(Path.Combine(_root, "folder.csv"), "dataset")).Reason);
    }

    [Fact]
    public void A_pipe_or_a_device_under_a_root_is_refused_before_it_is_opened()
    {
        // Opening a FIFO with no writer would block for ever: the refusal must come before any open.
        var fifo = Path.Combine(_root, "pipe.csv");
        using (var mkfifo = Process.Start("mkfifo", fifo)!)
            mkfifo.WaitForExit();
        Assert.True(File.Exists(fifo), "mkfifo made no pipe");
        Assert.Contains("not a regular file", Assert.Throws<SpecException>(() => Files.ReadAllText(fifo, "dataset")).Reason, StringComparison.Ordinal);

        var devices = new DataFiles(["/dev"]);
        Assert.Contains("not a regular file", Assert.Throws<SpecException>(() => devices.ReadAllText("/dev/zero", "dataset")).Reason, StringComparison.Ordinal);
        var proc = new DataFiles(["/proc"]);
        Assert.Contains("not a regular file", Assert.Throws<SpecException>(() => proc.ReadAllText("/proc/self/environ", "dataset")).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_above_the_size_limit_is_refused_naming_the_limit()
    {
        var file = Write(_root, "big.csv", Csv);
        var limited = new DataFiles([_root], maxBytes: Csv.Length - 1);
        Assert.Equal($"{file} is larger than the limit of {Csv.Length - 1} bytes", Assert.Throws<SpecException>(() => limited.ReadAllText(file, "dataset")).Reason);
        Assert.Equal(Csv, new DataFiles([_root], maxBytes: Csv.Length).ReadAllText(file, "dataset"));
    }

    [Fact]
    public void No_roots_refuses_every_file_and_keeps_the_built_in_data_sets()
    {
        var file = Write(_root, "in.csv", Csv);
        Assert.Contains("outside the data roots (none are configured)", Assert.Throws<SpecException>(() => DataFiles.None.Check(file, "dataset")).Reason, StringComparison.Ordinal);
        Assert.Equal("dataset", Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = file, Target = "label", BatchSize = 1 }.Validate()).Field);
        new TrainingSpec { Dataset = "iris" }.Validate();
        new TrainingSpec { Dataset = "digits", SplitFile = "digits_split" }.Validate();
    }

    [Fact]
    public void A_csv_parse_error_names_the_line_and_column_but_not_the_cell()
    {
        var file = Write(_root, "bad.csv", "a,b,label\n1,2,0\n3,SECRET-VALUE-42,1\n5,6,0\n");
        var e = Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = file, BatchSize = 1 }.Validate(Files));
        Assert.Equal("dataset", e.Field);
        Assert.Equal("bad.csv line 3, column 'b': text, not a number, in a column of numbers: fix the cell or leave the row out (a column of text alone is read as categories, a 0/1 feature per value)", e.Reason);
        var missing = Write(_root, "missing.csv", "a,b,label\n1,2,0\n3,,1\n5,6,0\n");
        Assert.Equal("missing.csv line 3, column 'b': empty (a missing value): fill it in or leave the row out",
            Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = missing, BatchSize = 1 }.Validate(Files)).Reason);
        var infinite = Write(_root, "infinite.csv", "a,b,label\n1,2,0\n3,NaN,1\n5,6,0\n");
        Assert.Equal("infinite.csv line 3, column 'b': not a finite number (NaN or infinity)",
            Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = infinite, BatchSize = 1 }.Validate(Files)).Reason);
        var label = Write(_root, "label.csv", "a,label\n1,0\n2,SECRET-7.5\n3,1\n");
        var mixed = Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = label, BatchSize = 1 }.Validate(Files)).Reason;
        Assert.Equal("label.csv line 3, column 'label': text among class ids: name every class or number every class (0, 1, 2, ...)", mixed);
        var fraction = Write(_root, "fraction.csv", "a,label\n1,0\n2,0.5\n3,1\n");
        Assert.Equal("fraction.csv line 3, column 'label': not a class id (a whole number from 0, or a class name)",
            Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = fraction, BatchSize = 1 }.Validate(Files)).Reason);
        var emptyClass = Write(_root, "empty.csv", "a,label\n1,setosa\n2,\n3,virginica\n");
        Assert.Equal("empty.csv line 3, column 'label': empty (a missing class): fill it in or leave the row out",
            Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = emptyClass, BatchSize = 1 }.Validate(Files)).Reason);
        var textTarget = Write(_root, "text-target.csv", "a,target\n1,low\n2,high\n3,low\n");
        Assert.Equal("text-target.csv line 2, column 'target': text, not a number: a regression target is a number (if the column names classes, set task: classification)",
            Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = textTarget, BatchSize = 1 }.Validate(Files)).Reason);
    }

    [Fact]
    public void A_column_of_text_is_categories_up_to_a_hundred_values_and_quoted_numbers_are_numbers()
    {
        var colours = Write(_root, "colours.csv", "colour,\"x\",label\nred,\"1.5\",0\nblue,2,1\nred,3,0\ngreen,4,1\n");
        var raw = DatasetCache.GetRaw(new TrainingSpec { Dataset = colours, BatchSize = 1 }, Files);
        Assert.Equal(["colour=blue", "colour=green", "colour=red", "x"], raw.FeatureNames);
        Assert.Equal([0, 0, 1, 1.5, 1, 0, 0, 2], raw.Features.Take(8));

        var names = Write(_root, "names.csv", "name,label\n" + string.Concat(Enumerable.Range(0, 101).Select(i => $"SECRET-{i},{i % 2}\n")));
        var e = Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = names, BatchSize = 1 }.Validate(Files));
        Assert.Equal("names.csv column 'name' holds text with more than 100 distinct values: as categories that would be as many features (an identifier or free text?); leave it out or encode it as numbers", e.Reason);
        var semicolons = Write(_root, "semi.csv", "a;b;label\n1,5;2;0\n3;4;1\n");
        Assert.Equal("semi.csv line 1 has no comma: its cells are separated by ';'; save it as comma-separated values (decimal points as '.')",
            Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = semicolons, BatchSize = 1 }.Validate(Files)).Reason);
        var tabs = Write(_root, "tabs.tsv", "a\tb\tlabel\n1\t2\t0\n3\t4\t1\n");
        Assert.Equal("tabs.tsv line 1 has no comma: its cells are separated by tabs; save it as comma-separated values (decimal points as '.')",
            Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = tabs, BatchSize = 1 }.Validate(Files)).Reason);
        var trailing = Write(_root, "trailing.csv", "a,b,label,\n1,2,0,\n3,4,1,\n");
        Assert.Equal("trailing.csv line 1, column 4 has no name (a comma at the end of the lines?)",
            Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = trailing, BatchSize = 1 }.Validate(Files)).Reason);
        var twice = Write(_root, "twice.csv", "a,a,label\n1,2,0\n3,4,1\n");
        Assert.Equal("twice.csv line 1 names column 'a' twice (columns 1 and 2)",
            Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = twice, BatchSize = 1 }.Validate(Files)).Reason);
        var gap = Write(_root, "gap.csv", "colour,label\nred,0\n,1\nblue,0\n");
        Assert.Equal("gap.csv line 3, column 'colour': empty (a missing value): fill it in or leave the row out",
            Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = gap, BatchSize = 1 }.Validate(Files)).Reason);
    }

    [Fact]
    public void A_split_file_error_names_the_place_but_not_the_text()
    {
        var notJson = Write(_root, "split.json", "SECRET-VALUE-42");
        var e = Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = "iris", SplitFile = notJson, BatchSize = 1 }.Validate(Files));
        Assert.Equal("split_file", e.Field);
        Assert.Contains("is not valid JSON (line 1", e.Reason, StringComparison.Ordinal);
        // System.Text.Json's own message quotes the character it stopped at ('S'); ours gives only the place.
        Assert.DoesNotContain("'", e.Reason.Replace(notJson, "", StringComparison.Ordinal), StringComparison.Ordinal);

        var badIndex = Write(_root, "index.json", """{"train": [0, "SECRET"], "val": [2]}""");
        var index = Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = "iris", SplitFile = badIndex, BatchSize = 1 }.Validate(Files));
        Assert.Equal($"{badIndex}: \"train\"[1] is not a row index from 0 to 149", index.Reason);
    }

    private static string Write(string folder, string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
