using McpSsh.Cli;
using McpSsh.Cli.Commands;

namespace McpSsh.Tests.Cli;

public class ClientToolFlagsTests
{
    private static ClientSettings Parse(params string[] args)
    {
        var parse = ClientCommand.Create((_, _) => Task.FromResult(0)).Parse(["--no-ssh-config", .. args]);
        Assert.Empty(parse.Errors);
        return ClientSettings.From(parse, _ => null);
    }

    [Fact]
    public void NoFlags_NoFilter()
    {
        Assert.False(Parse().Tools.IsActive);
    }

    [Fact]
    public void Globs_AreCommaSeparated_AndTheFlagsRepeat()
    {
        ClientSettings s = Parse("--allow-tools", "read_*, list_*", "--allow-tools", "get?", "--deny-tools", "read_secret*");
        Assert.Equal(["read_*", "list_*", "get?"], s.Tools.Allow.Select(g => g.Text));
        Assert.Equal(["read_secret*"], s.Tools.Deny.Select(g => g.Text));
        Assert.Equal("it matches --deny-tools glob \"read_secret*\"", s.Tools.Check("read_secrets").Reason);
        Assert.Equal("it matches no --allow-tools glob (read_*, list_*, get?)", s.Tools.Check("write").Reason);
    }

    [Theory]
    [InlineData("--deny-tools", "a,,b")]
    [InlineData("--allow-tools", "a,")]
    [InlineData("--allow-tools", "")]
    public void EmptyGlob_IsAUsageErrorNamingTheFlag(string flag, string value)
    {
        UsageException ex = Assert.Throws<UsageException>(() => Parse(flag, value));
        Assert.StartsWith($"{flag} \"{value}\" has an empty glob; give globs separated by single commas", ex.Message);
    }
}
