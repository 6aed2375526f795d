namespace ExperimentCluster.Contracts;

/// <summary>Reading the run numbers of a retry, written once for the CLI's --runs and the API's body.</summary>
public static class SweepChanges
{
    /// <summary>"3,7" as run numbers, or the first bad entry (the reason only; the caller names the field).</summary>
    public static (IReadOnlyList<int>? Runs, string? Error) ParseRuns(string text)
    {
        var runs = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
                return (null, $"'{part}' is not a run number (a whole number from 0, as `excl show` lists them)");
            runs.Add(n);
        }
        return (runs, null);
    }
}
