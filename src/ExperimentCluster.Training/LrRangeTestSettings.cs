using System.Globalization;

namespace ExperimentCluster.Training;

/// <summary>A range test's sweep of rates: from <see cref="MinRate"/> to <see cref="MaxRate"/>, exponentially, over <see cref="Steps"/> mini-batches.</summary>
public sealed record LrRangeTestSettings(double MinRate = 1e-6, double MaxRate = 10, int Steps = 100)
{
    public const string MinRateKey = "min_rate";
    public const string MaxRateKey = "max_rate";
    public const string StepsKey = "steps";

    /// <summary>Throws ArgumentOutOfRangeException naming the argument (minLearningRate, maxLearningRate, steps).</summary>
    public void Check()
    {
        if (!(MinRate > 0) || !double.IsFinite(MinRate))
            throw new ArgumentOutOfRangeException("minLearningRate", MinRate, "must be a positive finite number");
        if (!(MaxRate > MinRate) || !double.IsFinite(MaxRate))
            throw new ArgumentOutOfRangeException("maxLearningRate", MaxRate, "must be a finite number above the minimum");
        if (Steps is < 5 or > 100_000)
            throw new ArgumentOutOfRangeException("steps", Steps, "must be from 5 to 100000");
    }

    /// <summary>From a measurement run's settings (names as in <see cref="MinRateKey"/> ...); a missing one keeps its default.</summary>
    public static LrRangeTestSettings From(IReadOnlyDictionary<string, double>? settings)
    {
        var result = new LrRangeTestSettings();
        foreach (var (key, value) in settings ?? new Dictionary<string, double>())
        {
            result = key switch
            {
                MinRateKey => result with { MinRate = value },
                MaxRateKey => result with { MaxRate = value },
                StepsKey when value == Math.Floor(value) && value is >= 0 and <= int.MaxValue => result with { Steps = (int)value },
                StepsKey => throw new ArgumentException($"steps must be a whole number, not {value}", nameof(settings)),
                _ => throw new ArgumentException($"unknown range-test setting '{key}' (known: {MinRateKey}, {MaxRateKey}, {StepsKey})", nameof(settings)),
            };
        }
        result.Check();
        return result;
    }

    public IReadOnlyDictionary<string, double> ToDictionary() => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        [MinRateKey] = MinRate,
        [MaxRateKey] = MaxRate,
        [StepsKey] = Steps,
    };

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{MinRate:G3} to {MaxRate:G3} over {Steps} mini-batches");
}
