using System.Text.Json.Nodes;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.SweepModel;

/// <summary>
/// Which trials of an earlier sweep a new sweep may take as its own history (a warm start). One rule, a pure function of
/// the two sweep files and the earlier run: the run is a result this sweep would have measured itself, that is
/// <list type="bullet">
/// <item>it finished with a result: Completed, Stopped by its rule, or Diverged (a rate that diverged is a finding);
/// not Failed or Cancelled (no result, and the failure may have been the machine's), nor still going;</item>
/// <item>its swept values are a point of the new space (every new parameter set, each value inside its domain) and its
/// seed is one of the new sweep's seeds;</item>
/// <item>it trained with the same settings the new sweep would give that point: the full trial (training block with the
/// values and the seed in place, or the same command) is equal. A parameter the old sweep swept and the new one fixes is
/// compatible only where the old value equals the new fixed one; a different epoch count, data set or model is not.</item>
/// </list>
/// </summary>
public static class WarmStartCompatibility
{
    /// <summary>Null when <paramref name="run"/> of <paramref name="source"/> is compatible with <paramref name="target"/>;
    /// otherwise why not (a phrase: "it failed", "learning_rate = 10 is outside this sweep's space").</summary>
    /// <param name="run">The earlier run; its Config holds the seed under <see cref="SweepDefinition.SeedKey"/>.</param>
    public static string? Problem(SweepDefinition target, SweepDefinition source, RunSummary run)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(run);
        var status = run.Status.ToLowerInvariant();
        if (status is not ("completed" or "stopped" or "diverged"))
            return $"it {(status is "queued" or "running" ? "has not finished" : "ended " + status)}, with no result to reuse";
        if (status is "completed" or "stopped" && run.FinalValLoss is not { } final)
            return "it has no final validation loss";
        if (SweepDefinition.SeedOf(run.Config) is not { } seed)
            return "it has no seed";
        if (!target.Seeds.Contains(seed))
            return $"seed {seed} is not one of this sweep's seeds";
        foreach (var parameter in target.Space.Parameters)
        {
            if (!run.Config.TryGetValue(parameter.Name, out var value))
            {
                if (!SearchSpace.IsActive(parameter, run.Config))
                    continue;
                return $"it did not sweep {parameter.Name}";
            }

            if (!parameter.Domain.Contains(value))
                return $"{parameter.Name} = {value} is outside this sweep's space";
        }
        if ((target.Command is null) != (source.Command is null))
            return "one sweep trains the built-in trainer, the other a command";
        if (target.Command is not null && run.Config.Keys.Any(k => k != SweepDefinition.SeedKey && target.Space.Find(k) is null))
            return "it swept a parameter this command sweep does not";
        // The new sweep would train this point with its own space's values and the seed on its training block; a value the
        // old sweep swept beyond that must equal what the new block fixes, which comparing the two full trials checks.
        var point = ConfigIn(target, run.Config);
        point[SweepDefinition.SeedKey] = run.Config[SweepDefinition.SeedKey];
        if (!JsonNode.DeepEquals(target.SpecJsonFor(point), source.SpecJsonFor(run.Config)))
            return "it trained with other settings (the training block or command differs beyond the swept values)";
        return null;
    }

    /// <summary>The run's values as the new sweep's strategy sees them: the new space's parameters only, no seed.</summary>
    public static Dictionary<string, string> ConfigIn(SweepDefinition target, IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(config);
        return target.Space.Prune(target.Space.Parameters.Where(p => config.ContainsKey(p.Name)).Select(p => new KeyValuePair<string, string>(p.Name, config[p.Name])))
            .ToDictionary(StringComparer.Ordinal);
    }
}
