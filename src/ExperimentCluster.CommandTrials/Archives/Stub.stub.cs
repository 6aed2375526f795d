namespace ExperimentCluster.CommandTrials.Archives;
public static class FolderArchive
{
    public static byte[] Pack(string folder, long maxBytes, object? ignore) { using var m = new MemoryStream(); System.Formats.Tar.TarFile.CreateFromDirectory(folder, m, false); return m.ToArray(); }
    public static void Unpack(byte[] archive, string target, long maxBytes) { Directory.CreateDirectory(target); System.Formats.Tar.TarFile.ExtractToDirectory(new MemoryStream(archive), target, true); }
}
