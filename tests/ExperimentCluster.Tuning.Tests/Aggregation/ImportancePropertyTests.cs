using CsCheck;

namespace ExperimentCluster.Tuning.Tests;

/// <summary>The importance over generated spaces and run lists: shares or a reason, never both, never NaN.</summary>
public sealed class ImportancePropertyTests
{
    private static readonly Gen<Domain> GenDomain = Gen.OneOf<Domain>(
        Gen.Double[-10, 10].Select(lo => (Domain)new UniformDomain(lo, lo + 1)),
        Gen.Double[1e-6, 1].Select(lo => (Domain)new LogUniformDomain(lo, lo * 1000)),
        Gen.Long[1, 100].SelectMany(lo => Gen.Bool.Select(log => (Domain)new IntUniformDomain(lo, lo + 300, log))),
        Gen.Int[1, 5].Select(n => (Domain)new ValuesDomain(Enumerable.Range(0, n).Select(i => $"[{i}]").ToArray())));

    private static readonly string[] Statuses = ["Completed", "Completed", "Completed", "Diverged", "Stopped", "Running", "Failed"];

    [Fact]
    public void Every_swept_parameter_gets_a_share_in_0_to_1_and_the_shares_sum_to_1_or_there_are_none_and_a_reason()
    {
        Gen.Select(GenDomain.Array[1, 4], Gen.ULong, Gen.Int[0, 40], Gen.Int[0, 1000]).Sample((domains, seed, count, salt) =>
        {
            var space = new SearchSpace(domains.Select((d, i) => new Parameter($"p{i}", d)).ToArray());
            var configs = new RandomSearch().Suggest(new SearchContext(space, seed, [], count, 1), count);
            var runs = configs.Select((c, n) =>
            {
                var status = Statuses[(n * 7 + salt) % Statuses.Length];
                double? loss = status == "Diverged" ? double.NaN : (n * 0.61 + salt) % 1.3;
                return new RunSummary(n, c, status, loss, loss, 5, null);
            }).ToList();

            var result = HyperparameterImportance.Of(space, runs);

            return result.Reason is not null
                ? result.Parameters.Count == 0
                : result.Parameters.Count == space.Parameters.Count
                  && result.Parameters.All(p => p.Share is >= 0 and <= 1)
                  && Math.Abs(result.Parameters.Sum(p => p.Share) - 1) < 1e-9;
        }, iter: 300);
    }
}
