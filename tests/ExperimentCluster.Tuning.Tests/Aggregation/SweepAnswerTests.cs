namespace ExperimentCluster.Tuning.Tests;

public sealed class SweepAnswerTests
{
    private static readonly SearchSpace Decades = new([new Parameter("learning_rate", new ValuesDomain(["0.0001", "0.01", "0.1", "10"]))]);

    private static int _number;

    private static RunSummary Run(string lr, int seed, string status, double? final, IReadOnlyDictionary<string, string>? more = null)
    {
        var config = new Dictionary<string, string>(more ?? new Dictionary<string, string>()) { ["learning_rate"] = lr, ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return new RunSummary(_number++, config, status, final, final, 20, status == "Diverged" ? 3 : null);
    }

    private static SweepAnswer Answer(string strategy, SearchSpace space, IReadOnlyList<RunSummary> runs, bool finished = true) =>
        SweepAnswer.For("s1", StrategyCatalog.Create(strategy).Answers(space), space, runs, null, finished);

    private static List<RunSummary> DecadeRuns() =>
    [
        Run("0.0001", 0, "Completed", 2.10), Run("0.0001", 1, "Completed", 2.12), Run("0.0001", 2, "Completed", 2.08),
        Run("0.01", 0, "Completed", 0.30), Run("0.01", 1, "Completed", 0.31), Run("0.01", 2, "Completed", 0.29),
        Run("0.1", 0, "Completed", 0.10), Run("0.1", 1, "Completed", 0.12), Run("0.1", 2, "Completed", 0.11),
        Run("10", 0, "Diverged", double.NaN), Run("10", 1, "Diverged", double.NaN), Run("10", 2, "Diverged", double.NaN),
    ];

    [Fact]
    public void A_grid_of_rates_names_the_best_rate_with_mean_and_spread_the_diverged_rate_in_three_of_three_seeds_and_the_slow_ones()
    {
        var answer = Answer("grid", Decades, DecadeRuns());

        Assert.StartsWith("the best learning rate is 0.1: final validation loss 0.11 ± 0.01 (mean ± sd over 3 seeds)", answer.Text, StringComparison.Ordinal);
        Assert.Contains("10 diverged in 3 of 3 seeds", answer.Text, StringComparison.Ordinal);
        Assert.Contains("0.0001, 0.01 are too slow to learn", answer.Text, StringComparison.Ordinal);
        Assert.EndsWith("next: excl refine s1 --out refine.json && excl run refine.json.", answer.Text, StringComparison.Ordinal);
        Assert.Equal(0.1, answer.BestLearningRate);
        Assert.False(answer.BestConfig!.ContainsKey("seed"));
    }

    [Fact]
    public void Seeds_that_each_validate_on_their_own_rows_are_said_to_and_the_validation_loss_stays_the_value()
    {
        var objective = Objective.ValidationLoss with { SeedsNote = "each on its own validation rows" };
        var rate = SweepAnswer.For("s1", AnswerKind.BestLearningRate, Decades, DecadeRuns(), null, true, objective).Text;
        var configuration = SweepAnswer.For("s1", AnswerKind.BestConfiguration, Decades, DecadeRuns(), null, true, objective).Text;

        Assert.StartsWith("the best learning rate is 0.1: final validation loss 0.11 ± 0.01 (mean ± sd over 3 seeds, each on its own validation rows)", rate, StringComparison.Ordinal);
        Assert.StartsWith("the best configuration is learning_rate=0.1: final validation loss 0.11 ± 0.01 (mean ± sd over 3 seeds, each on its own validation rows); ahead of", configuration, StringComparison.Ordinal);
        // Still the validation loss where sentences name a value without its name.
        Assert.Equal(("value", "0.25"), (objective.Label, objective.Text(0.25)));
    }

    [Fact]
    public void A_best_rate_at_the_end_of_what_was_searched_is_called_out_as_the_edge_and_one_inside_is_not()
    {
        List<RunSummary> runs =
        [
            Run("0.01", 0, "Completed", 0.5), Run("0.1", 0, "Completed", 0.3), Run("1", 0, "Completed", 0.2),
        ];
        var range = new SearchSpace([new Parameter("learning_rate", new LogUniformDomain(1e-3, 1))]);
        var listed = new SearchSpace([new Parameter("learning_rate", new ValuesDomain(["0.01", "0.1", "1"]))]);
        var wider = new SearchSpace([new Parameter("learning_rate", new LogUniformDomain(1e-3, 100))]);

        Assert.Contains("; at the edge of the search: learning_rate = 1 is at the upper end of its range (0.001 to 1), so a better value may lie beyond it; next:",
            Answer("lr-decades", range, runs).Text, StringComparison.Ordinal);
        Assert.Contains("; at the edge of the search: learning_rate = 1 is the largest value listed,", Answer("grid", listed, runs).Text, StringComparison.Ordinal);
        Assert.DoesNotContain("edge", Answer("lr-decades", wider, runs).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_best_value_an_edit_left_outside_the_space_is_called_outside_not_at_its_edge()
    {
        // The best rate, 1, ran before an edit narrowed the range to 0.001..0.1 (and removed its batch size): it lies
        // above the range now, which is the opposite of "a better value may lie beyond" the range's end.
        List<RunSummary> runs =
        [
            Run("0.01", 0, "Completed", 0.5), Run("0.1", 0, "Completed", 0.3),
            Run("1", 0, "Completed", 0.2, new Dictionary<string, string> { ["batch_size"] = "16" }),
        ];
        var narrowed = new SearchSpace(
        [
            new Parameter("learning_rate", new LogUniformDomain(1e-3, 0.1)),
            new Parameter("batch_size", new ValuesDomain(["32", "64"])),
        ]);

        var answer = Answer("random", narrowed, runs).Text;

        Assert.Contains("; outside the space searched now (its run came before an edit or from a warm start): learning_rate = 1 is above its range now (0.001 to 0.1), batch_size = 16 is not among the values listed now",
            answer, StringComparison.Ordinal);
        Assert.DoesNotContain("edge", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("outside", Answer("random", new SearchSpace([new Parameter("learning_rate", new LogUniformDomain(1e-3, 1))]), runs).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_drawn_numbers_every_digit_is_written_to_four_and_a_chosen_or_lr_decades_rate_as_it_is()
    {
        var space = new SearchSpace([new Parameter("learning_rate", new LogUniformDomain(1e-4, 1e-1)), new Parameter("weight_decay", new LogUniformDomain(1e-5, 0.1))]);
        List<RunSummary> drawn =
        [
            Run("0.004716860943082561", 0, "Completed", 0.10, new Dictionary<string, string> { ["weight_decay"] = "0.07453305702335761" }),
            Run("0.01587713183097669", 0, "Completed", 0.20, new Dictionary<string, string> { ["weight_decay"] = "1.2492524606784225E-05" }),
        ];
        Assert.StartsWith("the best configuration is learning_rate=0.004717 weight_decay=0.07453: final validation loss 0.1", Answer("tpe", space, drawn).Text, StringComparison.Ordinal);

        var rates = new SearchSpace([new Parameter("learning_rate", new LogUniformDomain(1e-3, 10))]);
        List<RunSummary> planned = [Run("0.01", 0, "Completed", 0.5), Run("0.177827941004", 0, "Completed", 0.1), Run("0.316227766017", 0, "Completed", 0.2)];
        Assert.StartsWith("the best learning rate is 0.177827941004: ", Answer("lr-decades", rates, planned).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_sweep_names_the_edge_only_for_a_parameter_that_mattered()
    {
        // The learning rate decides (0.3 at the top of its range beats everything); the batch size is noise, and its best
        // value, 16, is the smallest listed.
        var space = new SearchSpace(
        [
            new Parameter("learning_rate", new LogUniformDomain(1e-3, 0.3)),
            new Parameter("batch_size", new ValuesDomain(["16", "32", "64"])),
        ]);
        var runs = new List<RunSummary>();
        string[] rates = ["0.001", "0.003", "0.01", "0.03", "0.1", "0.3"];
        foreach (var (rate, i) in rates.Select((r, i) => (r, i)))
        {
            foreach (var batch in new[] { "16", "32", "64" })
                runs.Add(Run(rate, 0, "Completed", 1.0 - (0.15 * i) + (batch == "16" ? 0 : 0.001), new Dictionary<string, string> { ["batch_size"] = batch }));
        }

        var answer = Answer("random", space, runs).Text;

        Assert.StartsWith("the best configuration is batch_size=16 learning_rate=0.3:", answer, StringComparison.Ordinal);
        Assert.Contains("at the edge of the search: learning_rate = 0.3 is at the upper end of its range (0.001 to 0.3), so a better value may lie beyond it", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("batch_size = 16", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void A_command_sweeps_metric_to_maximise_is_named_and_shown_as_itself_not_as_the_negation_runs_are_ranked_by()
    {
        // mode: max: the runs carry the negated accuracy, so that lower is better everywhere.
        List<RunSummary> runs =
        [
            Run("0.01", 0, "Completed", -0.80), Run("0.01", 1, "Completed", -0.82),
            Run("0.1", 0, "Completed", -0.95), Run("0.1", 1, "Completed", -0.97),
        ];
        var space = new SearchSpace([new Parameter("learning_rate", new ValuesDomain(["0.01", "0.1", "1"]))]);

        var rate = SweepAnswer.For("s1", AnswerKind.BestLearningRate, space, runs, null, true, new Objective("val_accuracy", Maximize: true)).Text;
        var configuration = SweepAnswer.For("s1", AnswerKind.BestConfiguration, space, runs, null, true, new Objective("val_accuracy", Maximize: true)).Text;
        var none = SweepAnswer.For("s1", AnswerKind.BestConfiguration, space, [Run("1", 0, "Diverged", double.NaN)], null, true, new Objective("val_accuracy", Maximize: true)).Text;

        Assert.StartsWith("the best learning rate is 0.1: final val_accuracy 0.96 ± 0.01414 (mean ± sd over 2 seeds); 0.01 is too slow to learn", rate, StringComparison.Ordinal);
        Assert.StartsWith("the best configuration is learning_rate=0.1: final val_accuracy 0.96 ± 0.01414 (mean ± sd over 2 seeds); ahead of the runner-up (0.81) by 0.15,", configuration, StringComparison.Ordinal);
        Assert.Equal("no run finished with a val_accuracy (1 of 1 diverged): no answer.", none);
    }

    [Fact]
    public void A_lower_rate_within_the_seeds_spread_of_the_best_is_not_called_too_slow_and_a_rate_that_diverged_once_is_not_the_best()
    {
        List<RunSummary> runs =
        [
            Run("0.01", 0, "Completed", 0.115), Run("0.01", 1, "Completed", 0.12),
            Run("0.1", 0, "Completed", 0.10), Run("0.1", 1, "Completed", 0.12),
            // Better when it finished, but one of its seeds diverged.
            Run("10", 0, "Completed", 0.05), Run("10", 1, "Diverged", double.NaN),
        ];

        var answer = Answer("lr-decades", new SearchSpace([new Parameter("learning_rate", new LogUniformDomain(1e-4, 10))]), runs, finished: false);

        Assert.StartsWith("So far: the best learning rate is 0.1:", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("too slow", answer.Text, StringComparison.Ordinal);
        Assert.Contains("10 diverged in 1 of 2 seeds", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_lead_reads_as_a_plain_decimal()
    {
        var space = new SearchSpace([new Parameter("learning_rate", new LogUniformDomain(1e-4, 1)), new Parameter("layers", new ValuesDomain(["[16]", "[64]"]))]);
        var answer = Answer("random", space,
            [Run("0.05", 0, "Completed", 0.16669, new Dictionary<string, string> { ["layers"] = "[64]" }),
             Run("0.05", 0, "Completed", 0.1667469, new Dictionary<string, string> { ["layers"] = "[16]" })]);
        Assert.Contains("ahead of the runner-up (0.1667) by 0.0000569,", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_sweep_with_a_clear_winner_says_by_how_many_times_its_seeds_spread_it_leads_and_what_mattered_most()
    {
        var space = new SearchSpace([new Parameter("learning_rate", new LogUniformDomain(1e-4, 1)), new Parameter("layers", new ValuesDomain(["[16]", "[64]"]))]);
        var wide = new Dictionary<string, string> { ["layers"] = "[64]" };
        var narrow = new Dictionary<string, string> { ["layers"] = "[16]" };
        List<RunSummary> runs =
        [
            Run("0.05", 0, "Completed", 0.10, wide), Run("0.05", 1, "Completed", 0.12, wide),
            Run("0.05", 0, "Completed", 0.30, narrow), Run("0.05", 1, "Completed", 0.32, narrow),
        ];

        var answer = Answer("random", space, runs);

        Assert.StartsWith("the best configuration is layers=[64] learning_rate=0.05: final validation loss 0.11 ± 0.01414", answer.Text, StringComparison.Ordinal);
        Assert.Contains("ahead of the runner-up (0.31) by 0.2, 14.1 times its seeds' spread", answer.Text, StringComparison.Ordinal);
        Assert.Contains("mattered most (importance): layers ", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("seed (", answer.Text, StringComparison.Ordinal);
        Assert.Contains("next: excl refine s1", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_sweep_whose_runner_up_is_within_the_best_seeds_spread_is_not_settled()
    {
        var space = new SearchSpace([new Parameter("activation", new ValuesDomain(["\"relu\"", "\"tanh\""]))]);
        List<RunSummary> runs =
        [
            Run("0.1", 0, "Completed", 0.10, new Dictionary<string, string> { ["activation"] = "\"relu\"" }),
            Run("0.1", 1, "Completed", 0.20, new Dictionary<string, string> { ["activation"] = "\"relu\"" }),
            Run("0.1", 0, "Completed", 0.16, new Dictionary<string, string> { ["activation"] = "\"tanh\"" }),
            Run("0.1", 1, "Completed", 0.18, new Dictionary<string, string> { ["activation"] = "\"tanh\"" }),
        ];

        var answer = Answer("grid", space, runs);

        Assert.StartsWith("the best configuration is activation=relu learning_rate=0.1", answer.Text, StringComparison.Ordinal);
        Assert.Contains("within its seeds' spread of the runner-up (0.17): not settled", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("next:", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sweep_with_no_finished_run_has_no_answer_yet_while_it_runs_and_none_once_it_ended()
    {
        RunSummary[] runs = [Run("10", 0, "Diverged", double.NaN)];

        Assert.Equal("So far: no run finished with a validation loss (1 of 1 diverged): no answer yet.", Answer("grid", Decades, runs, finished: false).Text);
        var answer = Answer("grid", Decades, runs);
        Assert.Equal("no run finished with a validation loss (1 of 1 diverged): no answer.", answer.Text);
        Assert.Null(answer.BestConfig);
    }

    [Fact]
    public void The_strategy_not_the_space_says_which_answer_a_sweep_gets()
    {
        // The same space of only the learning rate: lr-decades answers with the best rate, random search with the best
        // configuration (its rates are all different, so there is no per-rate spread to report).
        var space = new SearchSpace([new Parameter("learning_rate", new LogUniformDomain(1e-4, 10))]);
        var runs = DecadeRuns();

        Assert.StartsWith("the best learning rate is 0.1", Answer("lr-decades", space, runs).Text, StringComparison.Ordinal);
        Assert.StartsWith("the best configuration is learning_rate=0.1", Answer("random", space, runs).Text, StringComparison.Ordinal);
        Assert.Equal(AnswerKind.BestConfiguration, StrategyCatalog.Create("tpe").Answers(space));
        // A grid over a range is no survey of listed rates.
        Assert.Equal(AnswerKind.BestConfiguration, StrategyCatalog.Create("grid").Answers(space));
    }

    [Fact]
    public void Another_sweep_with_too_few_finished_runs_says_what_mattered_is_not_known_yet()
    {
        var space = new SearchSpace([new Parameter("learning_rate", new LogUniformDomain(1e-4, 1)), new Parameter("layers", new ValuesDomain(["[16]", "[64]"]))]);
        List<RunSummary> runs = [Run("0.05", 0, "Completed", 0.10, new Dictionary<string, string> { ["layers"] = "[64]" }), Run("0.01", 0, "Completed", 0.2, new Dictionary<string, string> { ["layers"] = "[16]" })];

        var answer = Answer("random", space, runs);

        Assert.Contains("what mattered most is not known yet: not enough finished runs", answer.Text, StringComparison.Ordinal);
    }
}
