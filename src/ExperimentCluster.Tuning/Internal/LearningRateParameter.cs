namespace ExperimentCluster.Tuning;

/// <summary>The learning-rate parameter that lr-decades and lr-range work on, checked the same way for both.</summary>
internal static class LearningRateParameter
{
    /// <summary>
    /// Finds the parameter and checks its domain: a list of positive rates or a positive (log-)uniform range.
    /// <paramref name="missing"/> says what the strategy does with it, for the error when the space lacks it.
    /// </summary>
    public static Parameter Find(SearchSpace space, string name, string strategy, string missing)
    {
        var field = $"search.space.{name}";
        var rate = space.Find(name) ?? throw new TuningException(field, missing);
        switch (rate.Domain)
        {
            case ValuesDomain values:
                for (var i = 0; i < values.Values.Count; i++)
                {
                    if (!JsonText.TryParseNumber(values.Values[i], out var x) || x <= 0)
                    {
                        throw new TuningException($"{field}.values[{i}]", $"a learning rate must be a positive number, got {values.Values[i]}");
                    }
                }

                break;
            case LogUniformDomain:
            case UniformDomain { Low: > 0 }:
                break;
            default:
                throw new TuningException(field, $"{strategy} needs a list of positive rates or a positive (log-)uniform range");
        }

        return rate;
    }
}
