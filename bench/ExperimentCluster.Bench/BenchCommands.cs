using System.CommandLine;

namespace ExperimentCluster.Bench;

/// <summary>The benchmarks' command tree: one command per benchmark, each with its own --help.</summary>
public static class BenchCommands
{
    public const string Program = "bench";

    public static RootCommand Build()
    {
        var root = new RootCommand("ExperimentCluster benchmarks. `COMMAND --help` lists a benchmark's options.")
        {
            TrainBenchmark.Create(),
            KernelsBenchmark.Create(),
            SweepBenchmark.Create(),
            SearchBenchmark.Create(),
            ValidateBenchmark.Create(),
            CommandBenchmark.Create(),
        };
        root.SetAction(_ =>
        {
            Console.Error.WriteLine($"usage: {Program} train|kernels|sweep|search|validate|commands [options] (--help lists them)");
            return 2;
        });
        return root;
    }
}
