using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains.Tests.Cluster;

/// <summary>
/// The command-sweep tests' side of the trial scripts (Trials/Scripts, python3): where the scripts are, and a folder
/// of markers they write there (their process ids, a SIGTERM they received, a hang), which the sweep passes them in `env:`.
/// </summary>
public sealed class TrialMarkers : IDisposable
{
    public TrialMarkers()
    {
        Folder = Path.Combine(Path.GetTempPath(), "excl-markers-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    /// <summary>A script's path, JSON-quoted for a sweep file.</summary>
    public static string Script(string name) => JsonSerializer.Serialize(Path.Combine(AppContext.BaseDirectory, "Trials", "Scripts", name));

    /// <summary>The `env` object of a sweep file: MARKERS plus the given knobs.</summary>
    public string Env(params (string Name, string Value)[] knobs) =>
        JsonSerializer.Serialize(knobs.Append(("MARKERS", Folder)).ToDictionary(k => k.Item1, k => k.Item2));

    public bool Has(string marker, int run) => File.Exists(Path.Combine(Folder, $"{marker}-{run}"));

    /// <summary>The process ids run <paramref name="run"/> has had, one per start.</summary>
    public IReadOnlyList<int> Pids(int run)
    {
        var file = Path.Combine(Folder, $"pids-{run}");
        return File.Exists(file) ? File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToList() : [];
    }

    /// <summary>The process ids of every start of every run, and which of them are still alive (a zombie counts as alive:
    /// the silo has not collected it).</summary>
    public (int Started, List<int> Alive) Processes()
    {
        var pids = Directory.GetFiles(Folder, "pids-*").SelectMany(f => Pids(int.Parse(Path.GetFileName(f)["pids-".Length..], CultureInfo.InvariantCulture))).ToList();
        return (pids.Count, pids.Where(p => Directory.Exists($"/proc/{p}")).ToList());
    }

    /// <summary>kill -9 of one process: nothing in it gets to clean up.</summary>
    public static void KillHard(int pid)
    {
        using var kill = Process.Start("kill", ["-9", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits until the run has finished and returns its trajectory.</summary>
    public static async Task<RunDetail> FinishedAsync(ExperimentTestCluster test, string sweep, int run, TimeSpan timeout) =>
        (await ExperimentTestCluster.WaitForAsync(() => test.Grains.Run(sweep, run).GetDetailAsync(0),
            d => d is not null && d.Run.Status.IsFinished(), timeout, d => $"{d?.Run.Status} after {d?.Run.Epochs} epochs"))!;

    /// <summary>The run's whole kept log.</summary>
    public static async Task<string> LogAsync(ExperimentTestCluster test, string sweep, int run) =>
        (await test.Grains.Run(sweep, run).GetLogAsync(0, 1 << 20)).Text;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
