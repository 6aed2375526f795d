using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ExperimentCluster.Cli;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Contracts.Json;
using ExperimentCluster.Training;

namespace ExperimentCluster.Bench;

/// <summary>
/// `train`: training throughput on digits, one thread, SGD, 20 epochs, for 64-32-10, 64-128-10 and 64-128-128-10 at
/// batch sizes 32 and 256, with peak memory; `--pytorch FILE` adds the ratio to PyTorch's figures (the JSON that
/// bench/pytorch_digits.py --json prints).
/// </summary>
public static class TrainBenchmark
{
    private static readonly (int[] Layers, int Batch)[] Cases =
    [
        ([32], 32), ([128], 32), ([128, 128], 32), ([32], 256), ([128], 256), ([128, 128], 256),
    ];

    public static Command Create()
    {
        var epochs = CliOptions.Int("--epochs", 20, "epochs of each run");
        var repeats = CliOptions.Int("--repeats", 3, "timed runs per case after a warm-up run; the best counts");
        var precision = CliOptions.TextWithDefault("--precision", "float32", "float32 or float64", "name");
        var pytorch = CliOptions.Text("--pytorch", "PyTorch's figures to compare with (what bench/pytorch_digits.py --json prints)", "none", "file");
        var json = CliOptions.Flag("--json", "one JSON object per case, then the memory");
        var command = new Command("train", "training samples per second on digits, one thread, SGD, six models and batch sizes")
        {
            epochs, repeats, precision, pytorch, json,
        };
        command.SetAction(parse => Run(parse.GetValue(epochs), parse.GetValue(repeats), parse.GetRequiredValue(precision), parse.GetValue(pytorch), parse.GetValue(json)));
        return command;
    }

    private static int Run(int epochs, int repeats, string precision, string? pytorchFile, bool json)
    {
        if (epochs < 1) throw new CliException("--epochs: must be at least 1");
        if (repeats < 1) throw new CliException("--repeats: must be at least 1");
        var pytorch = pytorchFile is null ? null : ReadPytorch(pytorchFile);

        if (!json)
        {
            Console.WriteLine($"digits, SGD lr 0.1, {epochs} epochs, {precision}, one thread, best of {repeats} after a warm-up run; {Environment.ProcessorCount} cores: {Machine.CpuName()}");
            Console.WriteLine($"{"model",14}  {"batch",5}  {"samples/s",11}  {"per cpu-s",11}  {"val_acc",7}{(pytorch is null ? "" : $"  {"pytorch",11}  {"ratio",6}")}");
        }
        foreach (var (layers, batch) in Cases)
        {
            var spec = new TrainingSpec
            {
                Dataset = "digits", Layers = layers, Activation = "relu", Optimizer = "sgd", LearningRate = 0.1,
                BatchSize = batch, Epochs = epochs, Precision = precision,
            };
            Train(spec); // warm-up: JIT tiers, data cache
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
                last = Train(spec with { Seed = r });
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

    private static EpochMetrics Train(TrainingSpec spec)
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
}
