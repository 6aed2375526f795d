using System.Text;
using ExperimentCluster.CommandTrials.Archives;

namespace ExperimentCluster.Grains.Tests.CommandTrials;

public sealed class CodeHashTests
{
    [Fact]
    public void The_hash_is_sha256_in_lowercase_hex_after_its_prefix()
    {
        // SHA-256("abc") from FIPS 180-2.
        var hash = CodeHash.Of(Encoding.ASCII.GetBytes("abc"));
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hash);
        Assert.True(CodeHash.IsValid(hash));
        Assert.Equal("sha256:ba7816bf…", CodeHash.Short(hash));
        Assert.Equal(hash[7..], CodeHash.Hex(hash));
    }

    [Theory]
    [InlineData(null, "must not be empty")]
    [InlineData("", "must not be empty")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "must start with \"sha256:\"")]
    [InlineData("md5:ba7816bf8f01cfea414140de5dae2223", "must start with \"sha256:\"")]
    [InlineData("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", "64 lowercase hex digits")]
    [InlineData("sha256:ba7816bf", "64 lowercase hex digits")]
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0", "64 lowercase hex digits")]
    [InlineData("sha256:../../../../etc/passwd/8f01cfea414140de5dae2223b00361a396177a9cb4", "64 lowercase hex digits")]
    public void Anything_else_is_not_a_code_hash_and_the_problem_says_why(string? value, string expected)
    {
        Assert.False(CodeHash.IsValid(value));
        Assert.Contains(expected, CodeHash.Problem(value), StringComparison.Ordinal);
        if (value is not null)
            Assert.Throws<ArgumentException>(() => CodeHash.Hex(value));
    }
}
