namespace ExperimentCluster.EndToEnd.Tests.Web;

public sealed class PlotCommandTests
{
    [Fact]
    public async Task Excl_plot_from_a_data_folder_writes_the_loss_curves_the_learning_rate_plot_and_the_summary()
    {
        var dir = Programs.TempFolder();
        try
        {
            var timeout = TimeSpan.FromMinutes(2);
            var run = await Programs.ExclAsync(dir, timeout, "run", "--example", "quick", "--id", "p1", "--data-dir", "data", "--json");
            Assert.True(run.Code == 0, $"run exit {run.Code}\n{run.Err}");
            var output = Path.Combine(Browser.ArtifactsFolder, "plot-data-folder");

            var plot = await Programs.ExclAsync(dir, timeout, "plot", "p1", "--data-dir", "data", "--out", output);

            Assert.True(plot.Code == 0, $"plot exit {plot.Code}\n{plot.Out}\n{plot.Err}");
            Assert.Equal(3, plot.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            PlotFiles.AssertPngs(output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Excl_plot_of_an_unknown_sweep_says_so_and_exits_2()
    {
        var dir = Programs.TempFolder();
        try
        {
            var plot = await Programs.ExclAsync(dir, TimeSpan.FromMinutes(1), "plot", "nope", "--data-dir", "data");
            Assert.Equal(2, plot.Code);
            Assert.Contains("no sweep 'nope'", plot.Err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
