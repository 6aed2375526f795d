using System.Formats.Tar;
using System.IO.Compression;

namespace ExperimentCluster.Grains.Tests.CommandTrials;

/// <summary>Archives read and built with the BCL's own tar classes, independently of the code under test.</summary>
internal static class TestArchives
{
    /// <summary>The archive's entries, in order.</summary>
    public static List<PaxTarEntry> Entries(byte[] archive)
    {
        using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        var entries = new List<PaxTarEntry>();
        while (reader.GetNextEntry() is { } entry)
            entries.Add(Assert.IsType<PaxTarEntry>(entry));
        return entries;
    }

    /// <summary>A gzip-compressed tar of exactly these entries, whatever they are.</summary>
    public static byte[] Build(params TarEntry[] entries)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
                tar.WriteEntry(entry);
        }
        return output.ToArray();
    }
}
