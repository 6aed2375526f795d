using System.Globalization;

namespace ExperimentCluster.Tuning.Tests;

public sealed class GpEncodingTests
{
    private static readonly SearchSpace Every = new(
    [
        new Parameter("uniform", new UniformDomain(-5, 5)),
        new Parameter("log_uniform", new LogUniformDomain(1e-4, 1)),
        new Parameter("int", new IntUniformDomain(1, 3)),
        new Parameter("int_log", new IntUniformDomain(16, 128, Log: true)),
        new Parameter("values", new ValuesDomain(["\"relu\"", "\"tanh\"", "[32,32]"])),
    ]);

    [Fact]
    public void The_layout_is_one_column_per_number_and_one_per_list_value()
    {
        var encoding = new GpEncoding(Every);

        Assert.Equal(7, encoding.Dimensions);
        Assert.Equal([0, 1, 2, 3, 4], Enumerable.Range(0, 5).Select(encoding.Offset));
        Assert.Equal([false, false, false, false, true], Enumerable.Range(0, 5).Select(encoding.IsCategorical));
    }

    [Theory]
    [InlineData("-5", "0.0001", "1", "16", "\"relu\"")]
    [InlineData("5", "1", "3", "128", "[32,32]")]
    [InlineData("1.25", "0.0123", "2", "37", "\"tanh\"")]
    [InlineData("-0.333", "0.5", "3", "100", "\"relu\"")]
    public void Every_domain_type_round_trips(string uniform, string logUniform, string integer, string intLog, string value)
    {
        var encoding = new GpEncoding(Every);
        var config = new TrialConfig([new("uniform", uniform), new("log_uniform", logUniform), new("int", integer), new("int_log", intLog), new("values", value)]);

        var x = encoding.Encode(config)!;
        var back = encoding.Decode(x);

        Assert.All(x, c => Assert.InRange(c, 0, 1));
        Assert.Equal(config["int"], back["int"]);
        Assert.Equal(config["int_log"], back["int_log"]);
        Assert.Equal(config["values"], back["values"]);
        foreach (var name in new[] { "uniform", "log_uniform" })
        {
            var expected = double.Parse(config[name], CultureInfo.InvariantCulture);
            Assert.Equal(expected, double.Parse(back[name], CultureInfo.InvariantCulture), 1e-12 * Math.Max(1, Math.Abs(expected)));
        }
    }

    [Fact]
    public void Log_domains_are_scaled_in_log_space_and_integers_own_equal_slices()
    {
        var encoding = new GpEncoding(Every);
        var config = new TrialConfig([new("uniform", "0"), new("log_uniform", "0.01"), new("int", "2"), new("int_log", "16"), new("values", "\"tanh\"")]);

        var x = encoding.Encode(config)!;

        Assert.Equal(0.5, x[0], 12);
        Assert.Equal(0.5, x[1], 12); // 1e-2 is half-way between 1e-4 and 1 in log space
        Assert.Equal(0.5, x[2], 12); // 2 is the middle of the slices [0.5, 1.5), [1.5, 2.5), [2.5, 3.5]
        Assert.Equal([0.0, 1.0, 0.0], x[4..7]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Any_point_of_the_cube_decodes_into_the_space_and_snaps_onto_its_own_encoding(bool numericLists)
    {
        var space = numericLists ? Lists : Every;
        var encoding = new GpEncoding(space);
        var rng = SplitMix64.For(3, 3);
        for (var i = 0; i < 200; i++)
        {
            var x = Enumerable.Range(0, encoding.Dimensions).Select(_ => (rng.NextDouble() * 1.4) - 0.2).ToArray();

            var config = encoding.Decode(x);
            encoding.Snap(x);

            Assert.True(space.Contains(config), $"{config} is outside the space");
            Assert.Equal(config, encoding.Decode(x));
            Assert.Equal(encoding.Encode(config)!, x, (a, b) => Math.Abs(a - b) < 1e-12);
        }
    }

    [Fact]
    public void A_value_outside_the_space_encodes_to_nothing()
    {
        var encoding = new GpEncoding(Every);

        Assert.Null(encoding.Encode(new Dictionary<string, string> { ["uniform"] = "1" }));
        Assert.Null(encoding.Encode(new TrialConfig([new("uniform", "9"), new("log_uniform", "0.01"), new("int", "2"), new("int_log", "16"), new("values", "\"tanh\"")])));
        Assert.Null(encoding.Encode(new TrialConfig([new("uniform", "0"), new("log_uniform", "0.01"), new("int", "2"), new("int_log", "16"), new("values", "\"gelu\"")])));
    }

    private static readonly SearchSpace Lists = new(
    [
        new Parameter("batch_size", new ValuesDomain(["16", "128", "32", "64"])),
        new Parameter("shift", new ValuesDomain(["-1", "0", "2"])),
        new Parameter("activation", new ValuesDomain(["\"relu\"", "\"tanh\""])),
    ]);

    [Fact]
    public void A_list_of_numbers_is_one_ordered_column_on_a_log_scale_when_all_are_positive()
    {
        var encoding = new GpEncoding(Lists);

        Assert.Equal(4, encoding.Dimensions);
        Assert.Equal([false, false, true], Enumerable.Range(0, 3).Select(encoding.IsCategorical));
        var x = encoding.Encode(new TrialConfig([new("batch_size", "32"), new("shift", "0"), new("activation", "\"tanh\"")]))!;
        Assert.Equal(1.0 / 3, x[0], 12); // 16, 32, 64, 128 are equally spaced in log space, whatever their order in the list
        Assert.Equal(1.0 / 3, x[1], 12); // -1, 0, 2 on a linear scale
        Assert.Equal([0.0, 1.0], x[2..4]);
        Assert.Equal([0, 1.0 / 3, 2.0 / 3, 1], encoding.Choices(0)!, (a, b) => Math.Abs(a - b) < 1e-12);
        // Decoding takes the nearest value.
        Assert.Equal("32", encoding.Decode([0.45, 0.9, 1, 0])["batch_size"]);
        Assert.Equal("64", encoding.Decode([0.55, 0.9, 1, 0])["batch_size"]);
        Assert.Equal("2", encoding.Decode([0.55, 0.9, 1, 0])["shift"]);
        Assert.Equal("16", encoding.Decode([-3, 0, 1, 0])["batch_size"]);
    }

    [Fact]
    public void Without_ordered_lists_every_list_is_one_hot()
    {
        var encoding = new GpEncoding(Lists, orderedLists: false);

        Assert.Equal(9, encoding.Dimensions);
        Assert.All(Enumerable.Range(0, 3), p => Assert.True(encoding.IsCategorical(p)));
    }
}
