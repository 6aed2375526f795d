using System.Globalization;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Grains;

/// <summary>
/// Per-value summaries need values that repeat. A value drawn from a range (a random or TPE learning rate) almost
/// never does, so it is summarised by bucket: decades for a log range, five equal bins for a linear one. Only for
/// strategies that draw from ranges (<see cref="ISearchStrategy.SamplesRanges"/>): the rates lr-decades places in a range
/// are its answer's own lines.
/// </summary>
public static class ValueBuckets
{
    public static IReadOnlyDictionary<string, string> Label(IReadOnlyDictionary<string, string> config, SearchSpace space)
    {
        Dictionary<string, string>? labelled = null;
        foreach (var parameter in space.Parameters)
        {
            if (!config.TryGetValue(parameter.Name, out var text) || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x))
                continue;
            var label = parameter.Domain switch
            {
                LogUniformDomain d when x > 0 => Decade(x, d.High),
                IntUniformDomain { Log: true } i when x > 0 => Decade(x, i.High),
                UniformDomain u => Bin(x, u.Low, u.High),
                IntUniformDomain i when i.High - i.Low >= 20 => Bin(x, i.Low, i.High),
                _ => null,
            };
            if (label is null)
                continue;
            labelled ??= new Dictionary<string, string>(config, StringComparer.Ordinal);
            labelled[parameter.Name] = label;
        }
        return labelled ?? config;
    }

    /// <summary>The decade holding <paramref name="x"/>; a range's top that is a power of ten closes the decade below it
    /// (the 1 of [0.0001, 1], which GP and TPE reach, was its own bucket "1..10", a decade outside the range).</summary>
    private static string Decade(double x, double high)
    {
        var k = Math.Floor(Math.Log10(x));
        if (x >= high && k == Math.Log10(x))
            k--;
        var lo = Math.Pow(10, k);
        // G15, not G3: G3 wrote the decade above 100 as "100..1E+03".
        return Quote($"{lo.ToString("G15", CultureInfo.InvariantCulture)}..{(lo * 10).ToString("G15", CultureInfo.InvariantCulture)}");
    }

    private static string Bin(double x, double low, double high)
    {
        var width = (high - low) / 5;
        var k = Math.Clamp((int)((x - low) / width), 0, 4);
        return Quote($"{(low + k * width).ToString("G4", CultureInfo.InvariantCulture)}..{(low + (k + 1) * width).ToString("G4", CultureInfo.InvariantCulture)}");
    }

    /// <summary>Values are JSON text; a bucket is a JSON string.</summary>
    private static string Quote(string s) => "\"" + s + "\"";
}
