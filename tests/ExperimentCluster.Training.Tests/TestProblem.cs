namespace ExperimentCluster.Training.Tests;

/// <summary>A smooth test function with a known minimum, as in MathNet's optimization test bank.</summary>
public sealed record TestProblem(string Name, double[] Start, double[] Minimum, Func<double[], double[], double> ValueAndGradient)
{
    public override string ToString() => Name;
}
