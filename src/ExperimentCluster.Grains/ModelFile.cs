using System.Text.Json;
using ExperimentCluster.Contracts;
using ExperimentCluster.Contracts.Json;
using ExperimentCluster.Training;

namespace ExperimentCluster.Grains;

/// <summary>A trained network as the file a user keeps (`excl model`, the API's run model, `excl train --save-model`):
/// indented JSON in the project's one JSON configuration, so each of them writes the same file.</summary>
public static class ModelFile
{
    public static byte[] Bytes(TrainedModel model) => JsonSerializer.SerializeToUtf8Bytes(model, ExclJson.Indented);

    /// <summary>The line a command prints once it has written one.</summary>
    public static string Wrote(string path, string network, int epoch) =>
        $"wrote {path}: {network} after epoch {epoch}; predict with it: excl predict {ShellWord.Quote(path)} --dataset ROWS.csv (elsewhere: its \"predict\" field says how)";
}
