using System.Text.Json;
using System.Text.Json.Serialization;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains.Trajectories;

/// <summary>One epoch as the trajectory stores keep it: a small JSON object (a diverged epoch's NaN or infinity by name).</summary>
public static class EpochRecordJson
{
    private static readonly JsonSerializerOptions Options = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static string Write(EpochRecord record) => JsonSerializer.Serialize(record, Options);

    public static EpochRecord Read(string json) =>
        JsonSerializer.Deserialize<EpochRecord>(json, Options) ?? throw new JsonException("an epoch record is null");
}
