using System.Buffers.Binary;

namespace ExperimentCluster.CommandTrials;

/// <summary>
/// A command trial's stored checkpoint: the packed checkpoint folder and the epoch it holds, in one byte array, so that
/// the run's state has one checkpoint field whatever trains it and the folder and its epoch are written together.
/// </summary>
public static class CheckpointBlob
{
    private static ReadOnlySpan<byte> Magic => "EXCLDIR1"u8;

    public static byte[] Encode(int epoch, byte[] archive)
    {
        var blob = new byte[Magic.Length + 4 + archive.Length];
        Magic.CopyTo(blob);
        BinaryPrimitives.WriteInt32LittleEndian(blob.AsSpan(Magic.Length), epoch);
        archive.CopyTo(blob, Magic.Length + 4);
        return blob;
    }

    public static (int Epoch, byte[] Archive) Decode(byte[] blob)
    {
        if (blob.Length < Magic.Length + 4 || !blob.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException("the stored checkpoint is not a command trial's checkpoint folder");
        return (BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(Magic.Length)), blob[(Magic.Length + 4)..]);
    }
}
