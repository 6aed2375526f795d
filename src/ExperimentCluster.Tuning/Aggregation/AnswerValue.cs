using System.Globalization;

namespace ExperimentCluster.Tuning;

/// <summary>
/// A hyperparameter's value as the answer's sentence writes it. A number drawn from a range carries a double's every
/// digit (learning_rate=0.004716860943082561 weight_decay=0.07453305702335761 was a TPE answer): past twelve significant
/// digits it is written to four, as the tables write it. Values someone chose, listed rates and lr-decades' twelve-digit
/// rates (0.177827941004) stay as they are, so the answer names them as the search's explanation does; the exact values
/// are the answer's configuration (`best_hyperparameters`), which refine and the export use.
/// </summary>
public static class AnswerValue
{
    private const int MaxDigits = 12;

    /// <summary>"batch_size=64 learning_rate=0.006501": a configuration as the answer and the searches' explanations
    /// write it, so that both name a configuration alike (an explanation wrote it as JSON with every digit).</summary>
    public static string Config(IReadOnlyDictionary<string, string> config) =>
        string.Join(" ", config.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={Text(kv.Value)}"));

    public static string Text(string json)
    {
        if (!JsonText.TryParseNumber(json, out var x) || SignificantDigits(json) <= MaxDigits)
            return json.Trim('"');
        return x.ToString("G4", CultureInfo.InvariantCulture);
    }

    /// <summary>The digits of a number's mantissa, leading zeros aside: 0.004716860943082561 has 16, 1E-05 has 1.</summary>
    private static int SignificantDigits(string number)
    {
        var mantissa = number.Split('e', 'E')[0];
        var digits = mantissa.Where(char.IsAsciiDigit).SkipWhile(c => c == '0').ToList();
        return digits.Count;
    }
}
