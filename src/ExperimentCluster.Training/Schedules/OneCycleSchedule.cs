namespace ExperimentCluster.Training.Schedules;

/// <summary>
/// Smith's one-cycle policy, with torch.optim.lr_scheduler.OneCycleLR's shape:
/// warm up: from peak / divFactor to the peak over the first <c>pctStart</c> of the run (cosine-shaped),
/// anneal: from the peak down to peak / divFactor / finalDivFactor over the rest (cosine-shaped).
/// A high rate in the middle explores; the long anneal settles into the minimum it found.
/// </summary>
internal sealed class OneCycleSchedule(double peak, double epochs, double pctStart, double divFactor, double finalDivFactor) : ISchedule
{
    public double Start => peak / divFactor;

    public double End => Start / finalDivFactor;

    public double LearningRate(long step, int stepsPerEpoch)
    {
        var progress = Math.Min(1.0, (double)step / stepsPerEpoch / epochs);
        return progress < pctStart
            ? Anneal(Start, peak, progress / pctStart)
            : Anneal(peak, End, (progress - pctStart) / (1 - pctStart));
    }

    private static double Anneal(double from, double to, double fraction) => to + ((from - to) * 0.5 * (1 + Math.Cos(Math.PI * fraction)));
}
