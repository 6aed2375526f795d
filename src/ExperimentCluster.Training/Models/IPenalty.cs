namespace ExperimentCluster.Training.Models;

/// <summary>A penalty ρ of one residual d = output - target, with its derivative; a struct so that the loop specialises.</summary>
internal interface IPenalty
{
    double Value(double d);

    double Derivative(double d);
}
