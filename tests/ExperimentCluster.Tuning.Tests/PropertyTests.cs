using CsCheck;

namespace ExperimentCluster.Tuning.Tests;

/// <summary>Properties over generated spaces, histories and run lists.</summary>
public sealed class PropertyTests
{
    private static readonly Gen<Domain> GenDomain = Gen.OneOf<Domain>(
        Gen.Double[-100, 100].SelectMany(lo => Gen.Double[0.001, 50].Select(width => (Domain)new UniformDomain(lo, lo + width))),
        Gen.Double[1e-8, 10].SelectMany(lo => Gen.Double[1.01, 1e6].Select(ratio => (Domain)new LogUniformDomain(lo, lo * ratio))),
        Gen.Long[-1000, 1000].SelectMany(lo => Gen.Long[0, 5000].SelectMany(width => Gen.Bool.Select(log => (Domain)(log
            ? new IntUniformDomain(Math.Max(1, lo), Math.Max(1, lo) + width, true)
            : new IntUniformDomain(lo, lo + width))))),
        Gen.Int[1, 6].Select(n => (Domain)new ValuesDomain(Enumerable.Range(0, n).Select(i => $"\"v{i}\"").ToArray())));

    private static readonly Gen<SearchSpace> GenSpace =
        GenDomain.Array[1, 5].Select(domains => new SearchSpace(domains.Select((d, i) => new Parameter($"p{i}", d)).ToArray()));

    [Fact]
    public void Random_and_tpe_stay_inside_any_space_and_keep_integers_integral()
    {
        Gen.Select(GenSpace, Gen.ULong, Gen.Int[0, 30]).Sample((space, seed, finished) =>
        {
            var history = new RandomSearch().Suggest(new SearchContext(space, seed, [], finished, 1), finished)
                .Select((c, i) => new Trial(i, c, TrialState.Completed, [], i * 0.37 % 1, null))
                .ToArray();
            foreach (var name in (string[])["random", "tpe"])
            {
                var suggestions = (name == "tpe" ? new TpeSearch(startupTrials: 3) : (ISearchStrategy)new RandomSearch()).Suggest(new SearchContext(space, seed, history, 100, 1), 3);
                foreach (var config in suggestions)
                {
                    if (!space.Contains(config))
                    {
                        return false;
                    }

                    foreach (var p in space.Parameters.Where(p => p.Domain is IntUniformDomain))
                    {
                        if (!long.TryParse(config[p.Name], out _))
                        {
                            return false;
                        }
                    }
                }
            }

            return true;
        }, iter: 300);
    }

    private static readonly Gen<double?> MaybeLoss = Gen.Select(Gen.Bool, Gen.Double[0, 3], (has, x) => has ? x : (double?)null);

    private static Gen<string> Pick(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static readonly Gen<RunSummary> GenRun = Gen.Select(
        Gen.Int[0, 50],
        Pick("Completed", "Stopped", "Diverged", "Failed", "Running", "Cancelled", "Queued"),
        MaybeLoss,
        MaybeLoss,
        Pick("0.1", "0.01", "1"))
        .Select((n, status, best, final, lr) => new RunSummary(n, new Dictionary<string, string> { ["learning_rate"] = lr }, status, best, final, 3, status == "Diverged" ? 2 : null));

    [Fact]
    public void The_leaderboard_is_a_sorted_permutation_of_the_runs()
    {
        GenRun.Array[0, 30].Sample(runs =>
        {
            var board = Aggregation.Leaderboard(runs);
            var ranked = board.Where(r => r.Status is not ("Diverged" or "Failed") && r.BestValLoss is not null).ToArray();
            return board.Count == runs.Length
                && board.OrderBy(r => r.Number).ThenBy(r => r.GetHashCode()).Select(r => r.Number).SequenceEqual(runs.OrderBy(r => r.Number).Select(r => r.Number))
                && ranked.Zip(ranked.Skip(1)).All(pair => pair.First.BestValLoss <= pair.Second.BestValLoss)
                && board.SkipWhile(r => r.Status is not ("Diverged" or "Failed")).All(r => r.Status is "Diverged" or "Failed")
                && (Aggregation.Best(runs) is null ? ranked.Length == 0 : Aggregation.Best(runs) == ranked[0]);
        });
    }

    [Fact]
    public void Per_value_summaries_account_for_every_run_once_per_parameter()
    {
        GenRun.Array[0, 30].Sample(runs =>
        {
            var summaries = Aggregation.PerValue(runs);
            return summaries.Sum(s => s.Runs) == runs.Length
                && summaries.Sum(s => s.Diverged) == runs.Count(r => r.Status == "Diverged")
                && summaries.All(s => s.Finished <= s.Runs && (s.MeanFinalValLoss is null) == (s.Finished == 0));
        });
    }

    [Fact]
    public void Asha_decisions_replay_identically_for_any_interleaving()
    {
        Gen.Select(Gen.Int[1, 1000], Gen.Int[1, 8], Gen.Int[2, 4]).Sample((seed, concurrency, eta) =>
        {
            var rule = new AshaRule(1, eta);
            var simulator = new RuleSimulator(rule, trials: 25, maxEpochs: 16, concurrency, seed).Run();
            var stored = simulator.StoredHistory();
            return simulator.Decisions.All(d => rule.Decide(new StoppingContext(stored, 16), d.Trial, d.Epoch) == d.Decision);
        }, iter: 50);
    }
}
