namespace ExperimentCluster.EndToEnd.Tests.Web;

public static class PlotFiles
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The three plots are there, are PNG files, and have more than a blank canvas's worth of content.</summary>
    public static void AssertPngs(string folder)
    {
        foreach (var name in new[] { "loss-curves.png", "lr-vs-loss.png", "per-hyperparameter.png" })
        {
            var path = Path.Combine(folder, name);
            Assert.True(File.Exists(path), $"{path} is missing");
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(PngSignature, bytes.Take(8).ToArray());
            Assert.True(bytes.Length > 10_000, $"{name} is only {bytes.Length} bytes");
        }
    }
}
