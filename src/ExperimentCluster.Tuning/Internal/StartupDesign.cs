using System.Globalization;

namespace ExperimentCluster.Tuning;

/// <summary>The start-up trials of the model-based strategies (TPE, GP): what they try before enough trials have a result
/// to model.
/// <para>By default (<c>startup: "latin"</c>) trials 0 to n_startup - 1 are the points of a Latin hypercube of n_startup
/// points: each parameter's line (log space for log ranges, integers widened by half a step, a list's values in equal
/// slices) is cut into n_startup equal strata, and every stratum holds exactly one of the points, at a random place in it;
/// the strata are matched across parameters by one random permutation per parameter. Independent draws (<c>"random"</c>,
/// exactly <see cref="RandomSearch"/>'s trials, Optuna's start-up) can leave half of a learning-rate range untried in ten
/// trials, and then the first model knows nothing of it.</para>
/// <para>Why it is the default (bench/SEARCH_RESULTS.md, "A Latin-hypercube start-up"; `bench search --concurrency 1
/// --space split`, TPE, 60 trials, medians over 80 seeds against independent draws): a run below 0.06 after 17-28 % fewer
/// epochs (TPE alone 135 against 176, with the median rule 135 against 163, with Hyperband 117 against 153), the rules'
/// total epochs 3.4 % (median, 739 against 765) and 1.7 % (Hyperband, 711 against 723) lower, and the best within 2 %
/// either way (0.0210 against 0.0209, 0.0227 against 0.0223, 0.0234 against 0.0239). GP's best is unchanged by it at 30
/// trials (0.0246 against 0.0244 on seeds 0-9, 0.0259 against 0.0255 on seeds 10-19); it uses the same design so
/// that the two strategies start alike.</para>
/// <para>Trials numbered n_startup or later that are still start-up trials (more trials started than have a result, at
/// concurrency above 1) and redraws on a finite space (<paramref name="attempt"/> above 0) are independent draws. The
/// design is a pure function of (seed, n_startup, trial number), like every other draw.</para></summary>
internal static class StartupDesign
{
    private const ulong PermutationSalt = 0x4C48535F5045524DUL;
    private const ulong OffsetSalt = 0x4C48535F4F464653UL;

    /// <summary>The <c>startup</c> setting of a strategy that uses the design: true for "latin" (the default).</summary>
    public static bool LatinFrom(Settings settings) => settings.String("startup", "latin", "latin", "random") == "latin";

    /// <summary>How a strategy's explanation names the start-up and its end: "Sampling a Latin hypercube until 10 trials
    /// have a result (with trials running: until 10 have started and one has a result)".</summary>
    public static string Describe(bool latin, int size) => string.Create(
        CultureInfo.InvariantCulture,
        $"Sampling {(latin ? "a Latin hypercube" : "at random")} until {size} trials have a result (with trials running: until {size} have started and one has a result).");

    /// <summary>Whether the next trial is still a start-up trial, with <paramref name="withResult"/> trials that have a
    /// result and <paramref name="running"/> running (a request's earlier suggestions included): until n_startup
    /// (<paramref name="size"/>) trials have a result, or are running while at least one has a result.
    /// <para>Optuna counts only trials with a result, so at concurrency 8 its start-up is about 17 trials: trials 10 to 16
    /// are suggested while most of the first ten still train, and are independent draws. Counting the running trials ends
    /// the start-up with the design's n_startup points; the model then knows one to a few results, and the running trials
    /// enter its split as they do afterwards (liars, or good when ahead of the good group). `bench search --slots 8
    /// --concurrency 8 --setups tpe`, seeds 0-79, six repetitions against six (bench/SEARCH_RESULTS.md, "The start-up
    /// at concurrency 8"): the median best of the first 15 trials 11 % lower (interval 0.80 to 0.96; lower on 65 of 80
    /// seeds), of the first 20 7 % lower (0.84 to 0.99), and of all 60 1.1 % lower (0.97 to 1.01). GP, 30 trials,
    /// three repetitions each: the first 15 12 % lower (0.80 to 0.94), all 30 the same (1.00). At concurrency 1 a trial
    /// is suggested only when the one before has ended, so nothing runs and nothing changes.</para></summary>
    public static bool Continues(int withResult, int running, int size) =>
        withResult < size && (withResult == 0 || withResult + running < size);

    /// <summary>The configuration of start-up trial <paramref name="number"/>.</summary>
    public static TrialConfig Config(SearchSpace space, ulong seed, int number, int size, bool latin, int attempt) =>
        latin && attempt == 0 && number < size
            ? Latin(space, seed, number, size)
            : SpaceSampler.RandomConfig(space, seed, number, attempt);

    private static TrialConfig Latin(SearchSpace space, ulong seed, int number, int size)
    {
        var values = new List<KeyValuePair<string, string>>(space.Parameters.Count);
        foreach (var parameter in space.Parameters)
        {
            var name = SplitMix64.Hash(parameter.Name);
            var stratum = Permutation(SplitMix64.For(seed, PermutationSalt, name, (ulong)size), size)[number];
            var offset = SplitMix64.For(seed, OffsetSalt, (ulong)number, name).NextDouble();
            var u = (stratum + offset) / size;
            values.Add(new(parameter.Name, parameter.Domain switch
            {
                ValuesDomain list => list.Values[Math.Min(list.Values.Count - 1, (int)(u * list.Values.Count))],
                var range => SpaceSampler.FromUnit(range, u),
            }));
        }

        return space.Prune(values);
    }

    /// <summary>A uniformly random permutation of 0..size-1 (Fisher-Yates).</summary>
    private static int[] Permutation(SplitMix64 rng, int size)
    {
        var permutation = Enumerable.Range(0, size).ToArray();
        for (var i = size - 1; i > 0; i--)
        {
            var j = (int)rng.NextBelow((ulong)(i + 1));
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }

        return permutation;
    }
}
