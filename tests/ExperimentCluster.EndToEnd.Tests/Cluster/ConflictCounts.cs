using System.Globalization;
using System.Text.RegularExpressions;

namespace ExperimentCluster.EndToEnd.Tests.Cluster;

/// <summary>The ETag conflicts the grains met and recovered from, summed over every silo's /metrics
/// (excl_storage_conflicts_total and excl_storage_conflicts_recovered_total, by stored state).</summary>
public sealed partial record ConflictCounts(IReadOnlyDictionary<string, double> Met, IReadOnlyDictionary<string, double> Recovered)
{
    public double TotalMet => Met.Values.Sum();

    public double TotalRecovered => Recovered.Values.Sum();

    /// <summary>Every conflict was followed by its recovery, state by state.</summary>
    public bool AllRecovered => Met.Keys.Union(Recovered.Keys).All(k => Met.GetValueOrDefault(k) == Recovered.GetValueOrDefault(k));

    public override string ToString() =>
        $"conflicts met {Describe(Met)}; recovered {Describe(Recovered)}";

    public static async Task<ConflictCounts> ReadAsync(IEnumerable<SiloNode> silos)
    {
        var met = new Dictionary<string, double>();
        var recovered = new Dictionary<string, double>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var silo in silos)
        {
            var text = await http.GetStringAsync(new Uri(silo.Http, "/metrics"));
            foreach (Match m in Sample().Matches(text))
            {
                var into = m.Groups["name"].Value == "excl_storage_conflicts_total" ? met : recovered;
                var state = m.Groups["state"].Value;
                into[state] = into.GetValueOrDefault(state) + double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return new ConflictCounts(met, recovered);
    }

    private static string Describe(IReadOnlyDictionary<string, double> counts) =>
        counts.Count == 0 ? "0" : $"{counts.Values.Sum()} ({string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value}"))})";

    [GeneratedRegex("""^(?<name>excl_storage_conflicts(_recovered)?_total)\{[^}]*state="(?<state>[^"]+)"[^}]*\} (?<value>[0-9.eE+]+)""", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
