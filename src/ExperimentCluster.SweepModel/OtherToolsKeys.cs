namespace ExperimentCluster.SweepModel;

/// <summary>
/// Where a key of another tool's sweep file goes in ours. A W&amp;B Sweeps file (program, method, metric, parameters) got
/// only "program: unknown key" and the list of this file's keys, which says nothing about where each thing goes.
/// </summary>
internal static class OtherToolsKeys
{
    public static IReadOnlyDictionary<string, string> TopLevel { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["program"] = "your program goes in command.run, a list such as [python3, train.py, --lr, \"{learning_rate}\"]",
        ["method"] = "the method is search.strategy (grid, random, tpe, gp, lr-decades, lr-range; Bayesian optimisation is tpe, or gp for small budgets)",
        ["parameters"] = "the parameters are search.space, each { values: [16, 32] }, { uniform: [0, 1] } or { log_uniform: [0.0001, 1] }",
        ["metric"] = "a program's metric is command.metric, with command.mode min or max (the built-in trainer's is val_loss)",
        ["early_terminate"] = "stopping is early_stopping: { rule: hyperband } (or asha, median)",
        ["run_cap"] = "the budget is max_runs",
        ["param_space"] = "the parameters are search.space",
        ["num_samples"] = "the number of trials is search.trials",
        ["n_trials"] = "the number of trials is search.trials",
        ["sampler"] = "the sampler is search.strategy (tpe, gp, random, grid)",
        ["pruner"] = "the pruner is early_stopping: { rule: median } (or asha, hyperband)",
    };
}
