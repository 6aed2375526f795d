using System.Security.Cryptography;

using ExperimentCluster.Training.Data;

namespace ExperimentCluster.Training.Tests;

public sealed class BuiltInDatasetTests
{
    // From shared/datasets/README.md; DATASETS.md ships the same table inside the library.
    public static TheoryData<string, string> Hashes => new()
    {
        { "digits.csv", "7a93e51f73dadeb4429b4fc0718b334d12864332b906bdf44f9da7599a7e0e01" },
        { "iris.csv", "87f0ef5229d3c2825151152009663887281a6e3e164d35161efdbdfb69951049" },
        { "wine.csv", "c3e4ab227b603f1267d8fe069c2ba5107933e1853f7297fdc687112260eb48e7" },
        { "breast_cancer.csv", "a89eb1744ae2f8247cc4254203e055ba941f4b6858a9d40888f1b7fff5007e52" },
        { "diabetes.csv", "8da6a0623ff6fc12ac3c7216470c648fd2f1afc6467355864a6cf27a2eb3e691" },
        { "digits_split.json", "02d0719554a54e5e12364db5328469754a1ecae86f2325fcdfadbcfea3c9805e" },
    };

    public static TheoryData<string, int, int, int> Shapes => new()
    {
        { "digits", 1797, 64, 10 },
        { "iris", 150, 4, 3 },
        { "wine", 178, 13, 3 },
        { "breast_cancer", 569, 30, 2 },
        { "diabetes", 442, 10, 0 },
    };

    [Theory]
    [MemberData(nameof(Hashes))]
    public void Embedded_file_has_the_published_sha256(string file, string sha256)
    {
        using var stream = BuiltInDatasets.Open(file);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(stream)));
        Assert.Contains(sha256, BuiltInDatasets.ReadText("DATASETS.md"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Embedded_csv_loads_with_the_published_shape(string name, int rows, int features, int classes)
    {
        var raw = DatasetCache.GetRaw(new TrainingSpec { Dataset = name }, files: TestPaths.Files);
        Assert.Equal(rows, raw.Rows);
        Assert.Equal(features, raw.Columns);
        Assert.Equal(classes, raw.Classes);
        Assert.Equal(classes > 0, raw.Classification);
    }

    [Fact]
    public void The_built_in_digits_split_gives_the_published_1437_training_and_360_validation_rows()
    {
        var data = DatasetCache.Get<float>(new TrainingSpec { Dataset = "digits", SplitFile = "digits_split", Scaling = "divide", ScaleDivisor = 16 }, files: TestPaths.Files);
        var fromFile = DatasetCache.Get<float>(new TrainingSpec { Dataset = "digits", SplitFile = TestPaths.DigitsSplit, Scaling = "divide", ScaleDivisor = 16 }, files: TestPaths.Files);

        Assert.Equal(1437, data.TrainRows);
        Assert.Equal(360, data.ValRows);
        Assert.Equal(fromFile.ValLabels, data.ValLabels);
        Assert.Equal(fromFile.TrainX, data.TrainX);
    }

    [Fact]
    public void Test_copy_of_the_digits_split_has_the_published_sha256()
    {
        var bytes = File.ReadAllBytes(TestPaths.DigitsSplit);
        Assert.Equal("02d0719554a54e5e12364db5328469754a1ecae86f2325fcdfadbcfea3c9805e", Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public void Attribution_file_names_every_source_and_licence()
    {
        var text = BuiltInDatasets.ReadText("DATASETS.md");
        foreach (var phrase in new[] { "UCI", "CC BY 4.0", "Efron", "Alpaydin", "Fisher", "Forina", "Wolberg", "scikit-learn" })
            Assert.Contains(phrase, text, StringComparison.Ordinal);
    }
}
