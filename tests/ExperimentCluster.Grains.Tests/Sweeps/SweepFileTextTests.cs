using System.Text.Json.Nodes;
using ExperimentCluster.SweepModel;

namespace ExperimentCluster.Grains.Tests.Sweeps;

/// <summary>The sweep file `excl refine` writes for people to read: a key per line, a list of numbers or words (or of
/// such lists) on one line, and the same document when read back.</summary>
public sealed class SweepFileTextTests
{
    [Fact]
    public void Lists_of_scalars_stay_on_one_line_and_objects_take_a_key_per_line()
    {
        var sweep = JsonNode.Parse("""
            {"name":"r","command":{"run":["python3","train.py","--lr","{learning_rate}"],"env":{}},"seeds":3,
             "search":{"strategy":"grid","space":{"learning_rate":{"values":[0.05623,0.1,0.177827941004]},"layers":{"values":[[32,32],[64]]}}},
             "notes":[{"a":1}],"caf\u00e9":"± \"q\""}
            """)!;

        var text = SweepFileText.Format(sweep).ReplaceLineEndings("\n");

        Assert.Equal("""
            {
              "name": "r",
              "command": {
                "run": ["python3", "train.py", "--lr", "{learning_rate}"],
                "env": {}
              },
              "seeds": 3,
              "search": {
                "strategy": "grid",
                "space": {
                  "learning_rate": {
                    "values": [0.05623, 0.1, 0.177827941004]
                  },
                  "layers": {
                    "values": [[32, 32], [64]]
                  }
                }
              },
              "notes": [
                {
                  "a": 1
                }
              ],
              "café": "± \"q\""
            }

            """, text);
        Assert.True(JsonNode.DeepEquals(sweep, JsonNode.Parse(text)));
    }
}
