using System.Reflection;

namespace ExperimentCluster.Training.Data;

/// <summary>The CSVs embedded in this assembly (see Data/DATASETS.md for their sources and licences).</summary>
internal static class BuiltInDatasets
{
    public static readonly string[] Names = ["digits", "iris", "wine", "breast_cancer", "diabetes"];

    public static bool Contains(string name) => Names.Contains(name, StringComparer.Ordinal);

    public static string ResourceName(string fileName) => "ExperimentCluster.Training.Data." + fileName;

    public static Stream Open(string fileName) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName(fileName))
        ?? throw new InvalidOperationException($"embedded resource {fileName} is missing from the build");

    public static string ReadText(string fileName)
    {
        using var reader = new StreamReader(Open(fileName));
        return reader.ReadToEnd();
    }
}
