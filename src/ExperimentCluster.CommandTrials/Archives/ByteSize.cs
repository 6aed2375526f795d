using System.Globalization;

namespace ExperimentCluster.CommandTrials.Archives;

/// <summary>Sizes as people read them in messages: "812 bytes", "3.4 KiB", "64 MiB".</summary>
public static class ByteSize
{
    public static string Text(long bytes)
    {
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        if (bytes < 1024)
            return bytes.ToString(CultureInfo.InvariantCulture) + (bytes == 1 ? " byte" : " bytes");
        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        // One decimal, but none where it is zero ("64 MiB", not "64.0 MiB").
        return value.ToString("0.#", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
