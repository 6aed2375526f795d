namespace ExperimentCluster.Tuning;

/// <summary>What question a sweep answers, as its strategy sees it (<see cref="ISearchStrategy.Answers"/>): which
/// sentence <see cref="SweepAnswer"/> writes. The strategy decides, so the answer layer names no search algorithm.</summary>
public enum AnswerKind
{
    /// <summary>The best configuration, how sure, and which hyperparameters mattered most.</summary>
    BestConfiguration,

    /// <summary>The practitioner's method (only <c>learning_rate</c> swept, one configuration per rate): the best rate,
    /// its spread over seeds, the rates that diverged and those too slow to learn.</summary>
    BestLearningRate,
}
