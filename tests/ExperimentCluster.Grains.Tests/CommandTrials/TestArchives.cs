using System.Formats.Tar;
using System.IO.Compression;

namespace ExperimentCluster.Grains.Tests.CommandTrials;

/// <summary>Archives read and built with the BCL's own tar classes, independently of the code under test.</summary>
internal static class TestArchives
{
    /// <summary>The archive's entries, in order (the packer writes the GNU format: see FolderArchive.Pack).</summary>
    public static List<GnuTarEntry> Entries(byte[] archive)
    {
        using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        var entries = new List<GnuTarEntry>();
        while (reader.GetNextEntry() is { } entry)
            entries.Add(Assert.IsType<GnuTarEntry>(entry));
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
