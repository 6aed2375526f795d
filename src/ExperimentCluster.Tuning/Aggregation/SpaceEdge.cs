using System.Globalization;

namespace ExperimentCluster.Tuning;

/// <summary>
/// Whether the best value of a parameter lies at an end of what the sweep searched: the practitioner's cue to look
/// beyond it (a learning rate best at the top of its range may be better higher still). A range's end is its last 2 %
/// on the range's own scale (logarithmic for log ranges); a list of at least three numbers' end is its smallest or largest
/// value. Two values, lists of lists and words have no telling end. A best value the space no longer holds (an edit
/// narrowed the space after its run, or a warm start brought it from a wider sweep) is not at an end but outside: that
/// is said instead, since "a better value may lie beyond it" would point the wrong way.
/// </summary>
public static class SpaceEdge
{
    private const double Margin = 0.02;

    /// <summary>"learning_rate = 1 is at the upper end of its range (0.001 to 1)", or null when the value is not at an end
    /// (inside, or outside the space: <see cref="Outside"/>).</summary>
    public static string? Describe(Parameter parameter, string value) =>
        Outside(parameter, value) is null ? AtAnEnd(parameter, value) : null;

    /// <summary>"learning_rate = 0.02 is above its range now (0.0001 to 0.01)", "layers = [16] is not among the values
    /// listed now", or null when the space holds the value.</summary>
    public static string? Outside(Parameter parameter, string value)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (parameter.Domain.Contains(value))
            return null;
        var shown = AnswerValue.Text(value);
        var (low, high) = parameter.Domain switch
        {
            LogUniformDomain d => (d.Low, d.High),
            UniformDomain d => (d.Low, d.High),
            IntUniformDomain d => (d.Low, d.High),
            _ => (double.NaN, double.NaN),
        };
        var side = !JsonText.TryParseNumber(value, out var x) || double.IsNaN(low) ? null : x > high ? "above" : x < low ? "below" : null;
        return side is null
            ? $"{parameter.Name} = {shown} is not among the values listed now"
            : string.Create(CultureInfo.InvariantCulture, $"{parameter.Name} = {shown} is {side} its range now ({low:G4} to {high:G4})");
    }

    private static string? AtAnEnd(Parameter parameter, string value)
    {
        if (!JsonText.TryParseNumber(value, out var x))
            return null;
        var shown = AnswerValue.Text(value);
        switch (parameter.Domain)
        {
            case LogUniformDomain d when x > 0:
                return Range(parameter.Name, shown, Math.Log10(x), Math.Log10(d.Low), Math.Log10(d.High), d.Low, d.High);
            case UniformDomain d:
                return Range(parameter.Name, shown, x, d.Low, d.High, d.Low, d.High);
            case IntUniformDomain { Log: true } d when x > 0 && d.Low > 0:
                return Range(parameter.Name, shown, Math.Log10(x), Math.Log10(d.Low), Math.Log10(d.High), d.Low, d.High);
            case IntUniformDomain d:
                return Range(parameter.Name, shown, x, d.Low, d.High, d.Low, d.High);
            case ValuesDomain d:
                var numbers = d.Values.Select(v => JsonText.TryParseNumber(v, out var n) ? n : double.NaN).ToList();
                if (numbers.Count < 3 || numbers.Any(double.IsNaN))
                    return null;
                return x >= numbers.Max() ? $"{parameter.Name} = {shown} is the largest value listed"
                    : x <= numbers.Min() ? $"{parameter.Name} = {shown} is the smallest value listed"
                    : null;
            default:
                return null;
        }
    }

    private static string? Range(string name, string shown, double at, double low, double high, double lowShown, double highShown)
    {
        if (!(high > low))
            return null;
        var t = (at - low) / (high - low);
        var end = t >= 1 - Margin ? "upper" : t <= Margin ? "lower" : null;
        return end is null ? null
            : string.Create(CultureInfo.InvariantCulture, $"{name} = {shown} is at the {end} end of its range ({lowShown:G4} to {highShown:G4})");
    }
}
