using McpSsh.Cli.Commands;

namespace McpSsh.Tests.Cli;

public class KeyServerFlagsTests
{
    private static ClientSettings Parse(params string[] args)
    {
        var parse = ClientCommand.Create((_, _) => Task.FromResult(0)).Parse(args);
        Assert.Empty(parse.Errors);
        return ClientSettings.From(parse, _ => null);
    }

    [Fact]
    public void AllowHttpToken_IsOffByDefault_AndOnWithTheFlag()
    {
        Assert.False(Parse("--use-key-server").KeyServerAllowHttpToken);
        ClientSettings s = Parse("--use-key-server", "--key-server-allow-http-token");
        Assert.True(s.KeyServerAllowHttpToken);
        Assert.Empty(s.Warnings);
    }

    [Fact]
    public void AllowHttpToken_WithoutKeyServer_IsWarnedAbout()
    {
        Assert.Contains(Parse("--key-server-allow-http-token").Warnings, w => w.Contains("--key-server-allow-http-token has no effect", StringComparison.Ordinal));
    }
}
