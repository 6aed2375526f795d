using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace ExperimentCluster.Training.Engine;

/// <summary>
/// The checkpoint bytes, version 1 or 2, little-endian:
/// magic "EXCLCKPT" · int32 version · 32-byte SHA-256 of the spec's canonical JSON · byte element size (4 float, 8 double) ·
/// int32 epochs done · int64 steps · double first loss · byte status · divergence (byte present; int32 epoch, int64 step,
/// double loss, string reason) · 4 × uint64 generator state · int32 parameter count · parameters · int64 optimizer steps ·
/// int32 moment buffers · each buffer · (version 2 only: the best epoch so far, for <c>patience</c>: int32 epoch, double
/// validation loss, int32 parameter count, its parameters) · 32-byte SHA-256 of everything before it.
/// A run without patience writes version 1, byte for byte what every earlier build wrote, so stored checkpoints stay readable.
/// Parameters and moments are stored as their raw bits, so a restored run continues exactly. Nothing is derived data:
/// the data split and scaling come from the spec.
/// </summary>
internal static class CheckpointFormat
{
    public const int Version = 1;

    /// <summary>Version 1 with the best epoch's block: written only by a run with patience.</summary>
    public const int VersionWithBest = 2;

    private static readonly byte[] Magic = "EXCLCKPT"u8.ToArray();

    internal sealed record Snapshot<T>(
        int EpochsDone, long Steps, double FirstLoss, TrainingStatus Status, Divergence? Divergence, ulong[] RandomState,
        T[] Parameters, long OptimizerSteps, T[][] Moments, BestEpoch<T>? Best = null)
        where T : unmanaged;

    /// <summary>The epoch with the lowest validation loss so far and its weights (patience restores them at the end).</summary>
    internal sealed record BestEpoch<T>(int Epoch, double ValLoss, T[] Parameters)
        where T : unmanaged;

    public static byte[] Write<T>(TrainingSpec spec, Snapshot<T> snapshot) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(snapshot.Best is null ? Version : VersionWithBest);
            writer.Write(SpecHash(spec));
            writer.Write((byte)System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
            writer.Write(snapshot.EpochsDone);
            writer.Write(snapshot.Steps);
            writer.Write(snapshot.FirstLoss);
            writer.Write((byte)snapshot.Status);
            writer.Write(snapshot.Divergence is not null);
            if (snapshot.Divergence is { } d)
            {
                writer.Write(d.Epoch);
                writer.Write(d.Step);
                writer.Write(d.Loss);
                writer.Write(d.Reason);
            }
            foreach (var word in snapshot.RandomState) writer.Write(word);
            WriteValues(writer, snapshot.Parameters);
            writer.Write(snapshot.OptimizerSteps);
            writer.Write(snapshot.Moments.Length);
            foreach (var buffer in snapshot.Moments) WriteValues(writer, buffer);
            if (snapshot.Best is { } best)
            {
                writer.Write(best.Epoch);
                writer.Write(best.ValLoss);
                WriteValues(writer, best.Parameters);
            }
        }
        var body = stream.ToArray();
        return [.. body, .. SHA256.HashData(body)];
    }

    public static Snapshot<T> Read<T>(TrainingSpec spec, byte[] checkpoint, int parameterCount, int momentBuffers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int HashLength = 32;
        if (checkpoint.Length < Magic.Length + 4 + HashLength || !checkpoint.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw Bad("not a training checkpoint");
        var version = BinaryPrimitives.ReadInt32LittleEndian(checkpoint.AsSpan(Magic.Length));
        if (version is not (Version or VersionWithBest))
            throw Bad($"checkpoint format version {version} is not supported; this build reads versions {Version} and {VersionWithBest}");
        var body = checkpoint.AsSpan(0, checkpoint.Length - HashLength);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(checkpoint.AsSpan(checkpoint.Length - HashLength)))
            throw Bad("checkpoint is damaged (its checksum does not match)");
        try
        {
            using var reader = new BinaryReader(new MemoryStream(checkpoint, 0, body.Length), Encoding.UTF8);
            reader.ReadBytes(Magic.Length + 4);
            if (!reader.ReadBytes(HashLength).AsSpan().SequenceEqual(SpecHash(spec)))
                throw Bad("checkpoint was written for a different training spec");
            var size = reader.ReadByte();
            if (size != System.Runtime.CompilerServices.Unsafe.SizeOf<T>())
                throw Bad($"checkpoint holds {size}-byte numbers, this run uses {System.Runtime.CompilerServices.Unsafe.SizeOf<T>()}-byte ones");
            var epochsDone = reader.ReadInt32();
            var steps = reader.ReadInt64();
            var firstLoss = reader.ReadDouble();
            var status = (TrainingStatus)reader.ReadByte();
            if (!Enum.IsDefined(status)) throw Bad("checkpoint has an unknown status");
            Divergence? divergence = reader.ReadBoolean()
                ? new Divergence(reader.ReadInt32(), reader.ReadInt64(), reader.ReadDouble(), reader.ReadString())
                : null;
            var random = new ulong[4];
            for (var i = 0; i < random.Length; i++) random[i] = reader.ReadUInt64();
            var parameters = ReadValues<T>(reader, parameterCount);
            var optimizerSteps = reader.ReadInt64();
            var buffers = reader.ReadInt32();
            if (buffers != momentBuffers) throw Bad($"checkpoint has {buffers} optimizer buffers, the optimizer needs {momentBuffers}");
            var moments = new T[buffers][];
            for (var b = 0; b < buffers; b++) moments[b] = ReadValues<T>(reader, parameterCount);
            BestEpoch<T>? best = version == VersionWithBest ? new(reader.ReadInt32(), reader.ReadDouble(), ReadValues<T>(reader, parameterCount)) : null;
            if (reader.BaseStream.Position != body.Length) throw Bad("checkpoint has trailing bytes");
            return new Snapshot<T>(epochsDone, steps, firstLoss, status, divergence, random, parameters, optimizerSteps, moments, best);
        }
        catch (EndOfStreamException)
        {
            throw Bad("checkpoint is truncated");
        }
    }

    private static byte[] SpecHash(TrainingSpec spec) => SHA256.HashData(Encoding.UTF8.GetBytes(TrainingSpecJson.ToCanonicalString(spec)));

    private static void WriteValues<T>(BinaryWriter writer, ReadOnlySpan<T> values) where T : unmanaged
    {
        writer.Write(values.Length);
        var bytes = MemoryMarshal.AsBytes(values);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("checkpoints are written on little-endian machines");
        writer.Write(bytes);
    }

    private static T[] ReadValues<T>(BinaryReader reader, int expected) where T : unmanaged
    {
        var count = reader.ReadInt32();
        if (count != expected) throw Bad($"checkpoint holds {count} values where the model has {expected}");
        var values = new T[count];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (reader.Read(bytes) != bytes.Length) throw new EndOfStreamException();
        return values;
    }

    private static InvalidDataException Bad(string reason) => new(reason);
}
