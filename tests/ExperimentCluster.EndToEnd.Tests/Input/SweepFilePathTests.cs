namespace ExperimentCluster.EndToEnd.Tests.Input;

/// <summary>A sweep file that is not there: a folder is called a folder, and a name one typo from a file beside it
/// gets that file's name; anything further gets no guess.</summary>
public sealed class SweepFilePathTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData("sweep.yml", "excl run: sweep.yml: no such file (did you mean 'sweep.yaml'?)")]
    [InlineData("Sweep.yaml", "excl run: Sweep.yaml: no such file (did you mean 'sweep.yaml'?)")]
    [InlineData("other.yaml", "excl run: other.yaml: no such file")]
    [InlineData("folder", "excl run: folder: is a folder, not a sweep file")]
    public async Task A_missing_sweep_file_is_named_with_the_file_it_was_likely_meant_to_be(string given, string line)
    {
        var dir = Programs.TempFolder();
        await File.WriteAllTextAsync(Path.Combine(dir, "sweep.yaml"), "name: x\n");
        Directory.CreateDirectory(Path.Combine(dir, "folder"));

        var run = await Programs.ExclAsync(dir, Timeout, "run", given, "--data-dir", "d");

        Assert.Equal(2, run.Code);
        Assert.Equal(line, run.Err.Trim());
    }
}
