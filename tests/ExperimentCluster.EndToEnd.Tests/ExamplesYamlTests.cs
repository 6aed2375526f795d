using System.Text.Json;
using System.Text.Json.Nodes;
using ExperimentCluster.Cli;
using ExperimentCluster.SweepModel;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>`excl init NAME --out FILE.yaml` writes YAML that reads back to the example's JSON (it wrote the JSON with its
/// `//` comments, which the .yaml name then made unreadable).</summary>
public sealed class ExamplesYamlTests
{
    public static TheoryData<string> Names => [.. Examples.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_example_written_as_yaml_reads_back_to_its_json(string name)
    {
        var json = Examples.Text(name);
        var yaml = SweepYamlWriter.FromJson(json);
        Assert.StartsWith("# ", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("//", yaml, StringComparison.Ordinal);
        var expected = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(SweepYaml.ToJson(yaml))), yaml);
    }

    [Fact]
    public void Strings_that_plain_yaml_would_read_otherwise_are_quoted()
    {
        const string json = """{ "name": "a: b", "x": "0.2", "y": "true", "z": "null", "w": "-x", "v": "a b", "u": "[1]", "t": "relu", "s": 0.2, "r": true, "q": null }""";
        var yaml = SweepYamlWriter.FromJson(json);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(SweepYaml.ToJson(yaml))), yaml);
        Assert.Contains("t: relu", yaml, StringComparison.Ordinal);
    }
}
