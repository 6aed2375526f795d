namespace ExperimentCluster.Training.Tests;

/// <summary>The shared bank of optimization problems every optimizer is held to.</summary>
public static class TestProblems
{
    /// <summary>½ Σ aᵢ (xᵢ - cᵢ)² with curvatures 1 and 10: a bowl whose sides differ, so a step size that suits one axis does not suit the other.</summary>
    public static readonly TestProblem QuadraticBowl = new(
        "quadratic_bowl",
        [-3.0, 4.0],
        [1.0, -2.0],
        (x, g) =>
        {
            double[] a = [1, 10];
            double[] c = [1, -2];
            var value = 0.0;
            for (var i = 0; i < x.Length; i++)
            {
                g[i] = a[i] * (x[i] - c[i]);
                value += 0.5 * a[i] * (x[i] - c[i]) * (x[i] - c[i]);
            }
            return value;
        });

    /// <summary>Rosenbrock's banana, (1 - x)² + 100 (y - x²)², from the classic start (-1.2, 1): a curved, badly scaled valley.</summary>
    public static readonly TestProblem Rosenbrock = new(
        "rosenbrock",
        [-1.2, 1.0],
        [1.0, 1.0],
        (x, g) =>
        {
            var (a, b) = (1 - x[0], x[1] - (x[0] * x[0]));
            g[0] = (-2 * a) - (400 * x[0] * b);
            g[1] = 200 * b;
            return (a * a) + (100 * b * b);
        });

    public static TestProblem ByName(string name) => name switch
    {
        "quadratic_bowl" => QuadraticBowl,
        "rosenbrock" => Rosenbrock,
        _ => throw new ArgumentException(name, nameof(name)),
    };
}
