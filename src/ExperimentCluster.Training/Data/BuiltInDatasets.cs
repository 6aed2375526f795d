using System.Reflection;

namespace ExperimentCluster.Training.Data;

/// <summary>The CSVs embedded in this assembly (see Data/DATASETS.md for their sources and licences).</summary>
internal static class BuiltInDatasets
{
    public static readonly string[] Names = ["digits", "iris", "wine", "breast_cancer", "diabetes"];

    /// <summary>Fixed splits that ship with the data, named in <c>split_file</c> instead of a path (a file of that exact
    /// name is not looked for: a built-in name always means the embedded copy, so a run means the same everywhere).</summary>
    public static readonly string[] SplitNames = ["digits_split"];

    public static bool Contains(string name) => Names.Contains(name, StringComparer.Ordinal);

    public static bool IsSplit(string name) => SplitNames.Contains(name, StringComparer.Ordinal);

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
