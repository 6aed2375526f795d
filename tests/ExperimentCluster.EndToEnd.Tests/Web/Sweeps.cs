using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>Sweep files for the web tests.</summary>
public static class Sweeps
{
    /// <summary>
    /// Long enough to watch and cancel even on a quiet machine (400 epochs of a 64-512-512-10 network, tens of
    /// milliseconds each, two runs at a time: about a minute in all), and its first run, at learning rate 30, diverges
    /// in its first epochs.
    /// </summary>
    public static string Watchable(string name) => WideGrid(name, 2, 30, 0.01, 0.1, 0.001, 0.3);

    /// <summary>A grid over <paramref name="rates"/> of 400 epochs of a 64-512-512-10 network per run (tens of
    /// milliseconds an epoch), <paramref name="concurrency"/> at a time: runs last long enough to act on while they train.</summary>
    public static string WideGrid(string name, int concurrency, params double[] rates) => new JsonObject
    {
        ["name"] = name,
        ["training"] = new JsonObject
        {
            ["dataset"] = "digits",
            ["layers"] = new JsonArray(512, 512),
            ["optimizer"] = "sgd",
            ["batch_size"] = 32,
            ["epochs"] = 400,
        },
        ["search"] = new JsonObject
        {
            ["strategy"] = "grid",
            ["space"] = new JsonObject { ["learning_rate"] = new JsonObject { ["values"] = new JsonArray(rates.Select(r => JsonValue.Create(r)).ToArray<JsonNode?>()) } },
        },
        ["concurrency"] = concurrency,
    }.ToJsonString();

    /// <summary>Seconds: iris, a tiny network, three learning rates (the last diverges), each with <paramref name="seeds"/> seeds.</summary>
    public static string Tiny(string name, int seeds = 1) => new JsonObject
    {
        ["name"] = name,
        ["training"] = new JsonObject
        {
            ["dataset"] = "iris",
            ["layers"] = new JsonArray(8),
            ["optimizer"] = "sgd",
            ["batch_size"] = 16,
            ["epochs"] = 5,
        },
        ["search"] = new JsonObject
        {
            ["strategy"] = "grid",
            ["space"] = new JsonObject { ["learning_rate"] = new JsonObject { ["values"] = new JsonArray(0.01, 0.1, 100) } },
        },
        ["seeds"] = seeds,
        ["concurrency"] = 3,
    }.ToJsonString();
}
