using ExperimentCluster.Training.Numerics;

namespace ExperimentCluster.Training.Data;

/// <summary>Seeded toy problems, generated from data_seed alone so that every run of a sweep sees the same points.</summary>
internal static class SyntheticDatasets
{
    public static readonly string[] Names = ["moons", "spirals", "blobs", "linear"];

    public static bool Contains(string name) => Names.Contains(name, StringComparer.Ordinal);

    public static bool IsClassification(string name) => name != "linear";

    public static double DefaultNoise(string name) => name switch
    {
        "moons" => 0.1,
        "spirals" => 0.05,
        "blobs" => 1.0,
        _ => 0.1,
    };

    public static RawDataset Generate(string name, int samples, double noise, int classes, int features, int seed)
    {
        var random = new Xoshiro256Generator(seed);
        return name switch
        {
            "moons" => Moons(samples, noise, random),
            "spirals" => Spirals(samples, noise, classes, random),
            "blobs" => Blobs(samples, noise, classes, features, random),
            "linear" => Linear(samples, noise, features, random),
            _ => throw new SpecException("dataset", $"unknown synthetic data set '{name}'"),
        };
    }

    // Two interleaved half circles, as scikit-learn's make_moons: the upper one centred at 0, the lower at (1, 0.5).
    private static RawDataset Moons(int samples, double noise, Xoshiro256Generator random)
    {
        var x = new double[samples * 2];
        var labels = new int[samples];
        for (var i = 0; i < samples; i++)
        {
            var label = i % 2;
            var t = Math.PI * random.NextDouble();
            x[2 * i] = (label == 0 ? Math.Cos(t) : 1 - Math.Cos(t)) + (noise * random.NextGaussian());
            x[(2 * i) + 1] = (label == 0 ? Math.Sin(t) : 0.5 - Math.Sin(t)) + (noise * random.NextGaussian());
            labels[i] = label;
        }
        return new RawDataset("moons", ["x0", "x1"], x, samples, 2, true, labels, [], 2);
    }

    // One arm per class, each one and a half turns from the centre outwards.
    private static RawDataset Spirals(int samples, double noise, int classes, Xoshiro256Generator random)
    {
        var x = new double[samples * 2];
        var labels = new int[samples];
        for (var i = 0; i < samples; i++)
        {
            var label = i % classes;
            var r = random.NextDouble();
            var angle = (2 * Math.PI * label / classes) + (3 * Math.PI * r);
            x[2 * i] = (r * Math.Cos(angle)) + (noise * random.NextGaussian());
            x[(2 * i) + 1] = (r * Math.Sin(angle)) + (noise * random.NextGaussian());
            labels[i] = label;
        }
        return new RawDataset("spirals", ["x0", "x1"], x, samples, 2, true, labels, [], classes);
    }

    // Gaussian clusters with centres uniform in [-10, 10] per feature, as make_blobs; noise is the cluster spread.
    private static RawDataset Blobs(int samples, double noise, int classes, int features, Xoshiro256Generator random)
    {
        var centres = new double[classes * features];
        for (var i = 0; i < centres.Length; i++) centres[i] = random.NextUniform(-10, 10);
        var x = new double[samples * features];
        var labels = new int[samples];
        for (var i = 0; i < samples; i++)
        {
            var label = i % classes;
            for (var f = 0; f < features; f++)
                x[(i * features) + f] = centres[(label * features) + f] + (noise * random.NextGaussian());
            labels[i] = label;
        }
        return new RawDataset("blobs", Enumerable.Range(0, features).Select(f => $"x{f}").ToArray(), x, samples, features, true, labels, [], classes);
    }

    // y = x·w + b + noise, with standard normal x, w and b.
    private static RawDataset Linear(int samples, double noise, int features, Xoshiro256Generator random)
    {
        var w = new double[features];
        for (var f = 0; f < features; f++) w[f] = random.NextGaussian();
        var b = random.NextGaussian();
        var x = new double[samples * features];
        var y = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var sum = b;
            for (var f = 0; f < features; f++)
            {
                var v = random.NextGaussian();
                x[(i * features) + f] = v;
                sum += v * w[f];
            }
            y[i] = sum + (noise * random.NextGaussian());
        }
        return new RawDataset("linear", Enumerable.Range(0, features).Select(f => $"x{f}").ToArray(), x, samples, features, false, [], y, 0);
    }
}
