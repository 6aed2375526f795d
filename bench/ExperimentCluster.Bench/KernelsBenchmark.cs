using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ExperimentCluster.Cli;
using ExperimentCluster.Cli.CommandLine;
using MathNet.Numerics.LinearAlgebra;

namespace ExperimentCluster.Bench;

/// <summary>`kernels`: the trainer's internal matrix product, timed against MathNet's on the same shapes.</summary>
public static class KernelsBenchmark
{
    // The largest product of a 64-128-128-10 step at batch 256, in its forward form and its weight-gradient form.
    public static Command Create()
    {
        var rows = CliOptions.Int("--rows", 256, "rows of the left matrix (the batch size)");
        var width = CliOptions.Int("--width", 128, "the layers' width");
        var command = new Command("kernels", "the trainer's matrix product against MathNet's") { rows, width };
        command.SetAction(parse => Run(parse.GetValue(rows), parse.GetValue(width)));
        return command;
    }

    private static int Run(int rows, int width)
    {
        if (rows < 1 || width < 1) throw new CliException("--rows and --width: must be at least 1");
        var random = new Random(1);
        var a = Matrix<float>.Build.Dense(rows, width, (_, _) => (float)random.NextDouble());
        var b = Matrix<float>.Build.Dense(width, width, (_, _) => (float)random.NextDouble());
        var c = Matrix<float>.Build.Dense(rows, width);
        var pad = ExperimentCluster.Training.Numerics.DenseKernels.PadUnit<float>();
        var aArray = new float[rows * width];
        var bArray = new float[(width * width) + pad];
        var bias = new float[width + pad];
        var cArray = new float[rows * width];
        for (var i = 0; i < rows; i++) for (var j = 0; j < width; j++) aArray[(i * width) + j] = a[i, j];
        for (var i = 0; i < width; i++) for (var j = 0; j < width; j++) bArray[(i * width) + j] = b[i, j];
        var fma = (double)rows * width * width;
        void Report(string name, double seconds) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-52} {seconds * 1e6,9:F1} us  {fma / seconds / 1e9,6:F2} GFMA/s"));
        var mathNet = Time(() => a.Multiply(b, c));
        Report($"MathNet {rows}x{width} * {width}x{width} (managed, preallocated)", mathNet);
        var forward = Time(() => ExperimentCluster.Training.Numerics.DenseKernels.Gemm<float>(aArray, width, 1, bArray, width, bias, cArray, width, rows, width, width));
        Report($"trainer kernel, same product plus bias", forward);
        var weights = new float[(width * width) + pad];
        var activations = new float[(rows * width) + pad];
        var deltas = new float[(rows * width) + pad];
        var gradient = Time(() => ExperimentCluster.Training.Numerics.DenseKernels.Gemm<float>(activations, 1, width, deltas, width, default, weights, width, width, width, rows));
        Report($"trainer kernel, weight gradient ({width}x{rows} * {rows}x{width})", gradient);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MathNet / trainer kernel: {mathNet / forward:F1}x"));
        return 0;
    }

    private static double Time(Action action)
    {
        for (var i = 0; i < 20; i++) action();
        var clock = Stopwatch.StartNew();
        var n = 0;
        while (clock.Elapsed.TotalSeconds < 1) { action(); n++; }
        return clock.Elapsed.TotalSeconds / n;
    }
}
