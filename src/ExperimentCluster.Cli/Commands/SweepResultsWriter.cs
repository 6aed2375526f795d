using ExperimentCluster.Contracts;
using ExperimentCluster.Silo;

namespace ExperimentCluster.Cli.Commands;

/// <summary>Exports a sweep for the CLI: the CSV of the silo's SweepExport and the JSON of SweepExportJson, as the HTTP download gives them.</summary>
public static class SweepResultsWriter
{
    public static async Task<(SweepResults Results, IReadOnlyList<RunDetail> Runs)> FetchAsync(IGrainFactory grains, string id) =>
        await SweepExport.FetchAsync(grains, id) ?? throw await UnknownSweep.ErrorAsync(grains, id);

    public static string Csv(SweepResults results, IReadOnlyList<RunDetail> runs) => SweepExport.Csv(results, runs);

    public static string JsonDocument(SweepResults results, IReadOnlyList<RunDetail> runs) => ExclJson.Document(SweepExportJson.From(results, runs));

    /// <summary>Writes runs.csv and summary.json into a folder; returns the folder's full path.</summary>
    public static async Task<string> WriteFolderAsync(IGrainFactory grains, string id, string folder)
    {
        var (results, runs) = await FetchAsync(grains, id);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "runs.csv"), Csv(results, runs));
        await File.WriteAllTextAsync(Path.Combine(folder, "summary.json"), JsonDocument(results, runs));
        return Path.GetFullPath(folder);
    }
}
