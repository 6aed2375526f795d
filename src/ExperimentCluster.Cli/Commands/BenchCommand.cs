using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ExperimentCluster.Training;
using MathNet.Numerics.LinearAlgebra;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// `excl bench train`: training throughput on digits, one thread, SGD, 20 epochs, for 64-32-10, 64-128-10 and
/// 64-128-128-10 at batch sizes 32 and 256, with peak memory; `--pytorch FILE` adds the ratio to PyTorch's figures
/// (the JSON that bench/pytorch_digits.py --json prints). `excl bench kernels`: the matrix product against MathNet's.
/// `excl bench sweep`: the cluster benchmark. `excl bench search`: search strategies and early stopping on digits.
/// </summary>
public static class BenchCommand
{
    private static readonly (int[] Layers, int Batch)[] Cases =
    [
        ([32], 32), ([128], 32), ([128, 128], 32), ([32], 256), ([128], 256), ([128, 128], 256),
    ];

    public static Task<int> RunAsync(string[] words)
    {
        if (words.Length == 0 || words[0].StartsWith("--", StringComparison.Ordinal))
            throw new CliException("usage: excl bench train|kernels|sweep|search [options]");
        return words[0] switch
        {
            "train" => Task.FromResult(Train(words[1..])),
            "kernels" => Task.FromResult(Kernels(words[1..])),
            "sweep" => SweepBenchmark.RunAsync(words[1..]),
            "search" => SearchBenchmark.RunAsync(words[1..]),
            _ => throw new CliException($"unknown benchmark '{words[0]}' (known: train, kernels, sweep, search)"),
        };
    }

    private static int Train(string[] words)
    {
        var args = CliArgs.Parse(words, new HashSet<string>(["json"], StringComparer.Ordinal));
        var epochs = args.Int("epochs", 20);
        var repeats = args.Int("repeats", 3);
        var precision = args.String("precision", "float32");
        var pytorchFile = args.String("pytorch");
        var json = args.Flag("json");
        args.RejectUnknown();
        if (epochs < 1) throw new CliException("--epochs: must be at least 1");
        if (repeats < 1) throw new CliException("--repeats: must be at least 1");
        var pytorch = pytorchFile is null ? null : ReadPytorch(pytorchFile);

        if (!json)
        {
            Console.WriteLine($"digits, SGD lr 0.1, {epochs} epochs, {precision}, one thread, best of {repeats} after a warm-up run; {Environment.ProcessorCount} cores: {CpuName()}");
            Console.WriteLine($"{"model",14}  {"batch",5}  {"samples/s",11}  {"per cpu-s",11}  {"val_acc",7}{(pytorch is null ? "" : $"  {"pytorch",11}  {"ratio",6}")}");
        }
        foreach (var (layers, batch) in Cases)
        {
            var spec = new TrainingSpec
            {
                Dataset = "digits", Layers = layers, Activation = "relu", Optimizer = "sgd", LearningRate = 0.1,
                BatchSize = batch, Epochs = epochs, Precision = precision,
            };
            Run(spec); // warm-up: JIT tiers, data cache
            var best = double.PositiveInfinity;
            var bestCpu = double.PositiveInfinity;
            EpochMetrics last = null!;
            long allocated = 0;
            using var self = Process.GetCurrentProcess();
            for (var r = 0; r < repeats; r++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                self.Refresh();
                var cpuBefore = self.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                last = Run(spec with { Seed = r });
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
                self.Refresh();
                // Processor time as well as wall time: on a shared machine the wall clock also counts other people's work.
                bestCpu = Math.Min(bestCpu, (self.TotalProcessorTime - cpuBefore).TotalSeconds);
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
            var rows = TrainRows(spec);
            var samplesPerSecond = rows * (double)epochs / best;
            var samplesPerCpuSecond = rows * (double)epochs / bestCpu;
            var model = string.Join("-", layers.Prepend(64).Append(10));
            double? reference = pytorch?.GetValueOrDefault((model, batch));
            if (json)
            {
                Console.WriteLine(ExclJson.Line(new TrainBenchLine(model, batch, samplesPerSecond, samplesPerCpuSecond, last.ValAccuracy,
                    allocated, reference, reference is { } p ? samplesPerSecond / p : null)));
            }
            else
            {
                var comparison = reference is { } p ? string.Create(CultureInfo.InvariantCulture, $"  {p,11:F0}  {samplesPerSecond / p,5:F2}x") : "";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model,14}  {batch,5}  {samplesPerSecond,11:F0}  {samplesPerCpuSecond,11:F0}  {last.ValAccuracy,7:F4}{comparison}   (a run allocates {allocated / 1024.0:F0} KiB)"));
            }
        }
        using var process = Process.GetCurrentProcess();
        var peak = process.PeakWorkingSet64 / 1048576.0;
        var info = GC.GetGCMemoryInfo();
        if (json)
        {
            Console.WriteLine(ExclJson.Line(new MemoryLine(peak, info.HeapSizeBytes / 1048576.0)));
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"peak working set of this process (runtime, JIT and all runs, one at a time): {peak:F0} MiB; GC heap now {info.HeapSizeBytes / 1048576.0:F1} MiB"));
        }
        return 0;
    }

    private static EpochMetrics Run(TrainingSpec spec)
    {
        var trainer = Trainer.Create(spec);
        EpochMetrics last = null!;
        while (trainer.Status == TrainingStatus.Running) last = trainer.TrainEpoch();
        return last;
    }

    private static int TrainRows(TrainingSpec spec) => 1797 - (int)Math.Ceiling(spec.ValidationFraction * 1797);

    private static Dictionary<(string Model, int Batch), double> ReadPytorch(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(
                c => (c.GetProperty("model").GetString()!, c.GetProperty("batch_size").GetInt32()),
                c => c.GetProperty("samples_per_second").GetDouble());
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException or UnauthorizedAccessException)
        {
            throw new CliException($"--pytorch: cannot read {path} as bench/pytorch_digits.py --json output: {e.Message}");
        }
    }

    // The largest product of a 64-128-128-10 step at batch 256, in its forward form and its weight-gradient form.
    private static int Kernels(string[] words)
    {
        var args = CliArgs.Parse(words, new HashSet<string>(StringComparer.Ordinal));
        var rows = args.Int("rows", 256);
        var width = args.Int("width", 128);
        args.RejectUnknown();
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

    /// <summary>The processor's model name, for benchmark reports.</summary>
    internal static string CpuName()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? "unknown processor";
        }
        catch (IOException)
        {
            return "unknown processor";
        }
    }
}
