using McpSsh.Cli;

namespace McpSsh.Tests.Cli;

public class LegacyArgsTests
{
    private static readonly string[] s_options = ["--host", "--port", "--username", "--use-key-server", "--key-server-port", "--known-hosts", "--log-level", "--log-file"];

    [Theory]
    [InlineData("--user", "--username")]
    [InlineData("--us", "--us")] // ambiguous: --username, --use-key-server
    [InlineData("--use-", "--use-key-server")] // unique prefix
    [InlineData("--use", "--use")] // ambiguous: --username, --use-key-server
    [InlineData("--key", "--key-server-port")]
    [InlineData("--known", "--known-hosts")]
    [InlineData("--log", "--log")] // ambiguous: --log-level, --log-file
    [InlineData("--host", "--host")]
    [InlineData("--bogus", "--bogus")]
    public void Normalize_ExpandsUnambiguousPrefixesOnly(string given, string expected)
    {
        Assert.Equal([expected, "x"], LegacyArgs.Normalize([given, "x"], s_options));
    }

    [Fact]
    public void Normalize_EqualsForm_KeepsValue()
    {
        Assert.Equal(["--username=mcp", "--port=22"], LegacyArgs.Normalize(["--user=mcp", "--port=22"], s_options));
    }

    [Fact]
    public void Normalize_ValuesAndArgsAfterSeparator_AreUntouched()
    {
        Assert.Equal(["--host", "-x", "--", "--user"], LegacyArgs.Normalize(["--host", "-x", "--", "--user"], s_options));
    }
}
