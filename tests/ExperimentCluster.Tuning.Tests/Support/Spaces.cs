using System.Globalization;
using System.Text.Json;

namespace ExperimentCluster.Tuning.Tests;

/// <summary>The shared bank of search spaces and synthetic objectives the tests run strategies on.</summary>
internal static class Spaces
{
    public static SearchSpace Mixed { get; } = new(
    [
        new Parameter("learning_rate", new LogUniformDomain(1e-4, 1)),
        new Parameter("hidden_layers", new IntUniformDomain(1, 3)),
        new Parameter("neurons", new ValuesDomain(["16", "32", "64", "128"])),
        new Parameter("batch_size", new IntUniformDomain(16, 128, Log: true)),
        new Parameter("activation", new ValuesDomain(["\"relu\"", "\"tanh\""])),
        new Parameter("dropout", new UniformDomain(0, 0.5)),
    ]);

    public static SearchSpace Grid { get; } = new(
    [
        new Parameter("learning_rate", new ValuesDomain(["0.001", "0.01", "0.1"])),
        new Parameter("hidden_layers", new ValuesDomain(["1", "2"])),
        new Parameter("activation", new ValuesDomain(["\"relu\"", "\"tanh\""])),
    ]);

    public static SearchSpace Decades { get; } = new(
    [
        new Parameter("learning_rate", new LogUniformDomain(1e-5, 10)),
        new Parameter("activation", new ValuesDomain(["\"relu\"", "\"tanh\""])),
    ]);

    /// <summary>Lists only, with conditional parameters: momentum read under the momentum optimizer, beta1 under adam. Its
    /// 24 numbers name 10 configurations (sgd 2, momentum 2 x 2, adam 2 x 2).</summary>
    public static SearchSpace ConditionalGrid { get; } = new(
    [
        new Parameter("optimizer", new ValuesDomain(["\"sgd\"", "\"momentum\"", "\"adam\""])),
        new Parameter("momentum", new ValuesDomain(["0.5", "0.9"])) { When = new Condition("optimizer", ["\"momentum\""]) },
        new Parameter("beta1", new ValuesDomain(["0.8", "0.9"])) { When = new Condition("optimizer", ["\"adam\""]) },
        new Parameter("learning_rate", new ValuesDomain(["0.01", "0.1"])),
    ]);

    /// <summary>Ranges with a conditional range (momentum) and a conditional list (beta1).</summary>
    public static SearchSpace ConditionalMixed { get; } = new(
    [
        new Parameter("learning_rate", new LogUniformDomain(1e-4, 1)),
        new Parameter("optimizer", new ValuesDomain(["\"sgd\"", "\"momentum\"", "\"adam\""])),
        new Parameter("momentum", new UniformDomain(0.5, 0.99)) { When = new Condition("optimizer", ["\"momentum\""]) },
        new Parameter("beta1", new ValuesDomain(["0.8", "0.9"])) { When = new Condition("optimizer", ["\"adam\""]) },
        new Parameter("neurons", new ValuesDomain(["16", "32", "64"])),
    ]);

    /// <summary>A learning-rate range with conditional lists beside it (the strategies that survey the rate per combination).</summary>
    public static SearchSpace ConditionalDecades { get; } = new(
    [
        new Parameter("learning_rate", new LogUniformDomain(1e-5, 10)),
        new Parameter("optimizer", new ValuesDomain(["\"sgd\"", "\"momentum\""])),
        new Parameter("momentum", new ValuesDomain(["0.5", "0.9"])) { When = new Condition("optimizer", ["\"momentum\""]) },
    ]);

    public static double Number(IReadOnlyDictionary<string, string> config, string name) =>
        double.Parse(config[name], CultureInfo.InvariantCulture);

    /// <summary>A loss-vs-learning-rate valley at 10^-1.3, diverging above 1, nudged by the other values: null means diverged.</summary>
    public static double? Objective(IReadOnlyDictionary<string, string> config)
    {
        var lr = config.TryGetValue("learning_rate", out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : 0.05;
        if (lr > 1)
        {
            return null;
        }

        var distance = Math.Log10(lr) + 1.3;
        var nudge = config
            .Where(kv => kv.Key != "learning_rate")
            .Sum(kv => (Math.Abs(StableHash(kv.Key + "=" + kv.Value)) % 1000) / 1e5);
        return 0.05 + (0.1 * distance * distance) + nudge;
    }

    /// <summary>A stand-in learning-rate range test: it suggests a rate near the objective's valley (10^-1.3), moved by up to
    /// a factor of two by the architecture, as a real test moves with the model.</summary>
    public static double RangeTest(IReadOnlyDictionary<string, string> config)
    {
        var nudge = config.Where(kv => kv.Key != "learning_rate").Sum(kv => Math.Abs(StableHash(kv.Key + "=" + kv.Value)) % 100) % 100;
        return Math.Pow(10, -1.3) * Math.Pow(2, (nudge / 50.0) - 1);
    }

    public static Dictionary<string, JsonElement> Settings(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    private static int StableHash(string text) => text.Aggregate(17, (h, c) => unchecked((h * 31) + c));
}
