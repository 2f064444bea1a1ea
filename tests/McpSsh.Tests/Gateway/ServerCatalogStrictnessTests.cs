using McpSsh.Gateway;

namespace McpSsh.Tests.Gateway;

/// <summary>Issue 11 defect 9: what System.Text.Json lets through silently (duplicate names, odd types) is refused.</summary>
public class ServerCatalogStrictnessTests
{
    private static string Error(string json) =>
        Assert.Throws<GatewayConfigException>(() => ServerCatalog.Parse("/etc/servers.json", json, [], (command, _) => "/usr/bin/" + command)).Message;

    [Fact]
    public void DuplicateServerName_IsRefused_NamingTheFileAndTheName()
    {
        string message = Error("""{"mcpServers": {"files": {"command": "node"}, "dates": {"command": "uvx"}, "files": {"command": "python3"}}}""");
        Assert.Equal("servers config /etc/servers.json names server \"files\" twice under \"mcpServers\"; give each server a different name", message);
    }

    [Fact]
    public void DuplicateMcpServersObject_IsRefused()
    {
        Assert.Contains("\"mcpServers\" twice", Error("""{"mcpServers": {"a": {"command": "node"}}, "mcpServers": {"b": {"command": "node"}}}"""));
    }

    [Theory]
    [InlineData("""{"mcpServers": {"a": {"command": "node", "cwd": 42}}}""", "\"cwd\" must be a string")]
    [InlineData("""{"mcpServers": {"a": {"command": "node", "cwd": null}}}""", "\"cwd\" must be a string")]
    [InlineData("""{"mcpServers": {"a": {"command": "node", "env": {"": "x"}}}}""", "\"env\" has an empty variable name")]
    [InlineData("""{"mcpServers": {"a": {"command": "node", "env": {"A=B": "x"}}}}""", "\"env\" variable name \"A=B\" contains '='")]
    [InlineData("""{"mcpServers": {"a": {"command": "node", "env": {"A": "1", "A": "2"}}}}""", "\"env\" sets \"A\" twice")]
    [InlineData("""{"mcpServers": {"a": {"command": "node", "command": "python3"}}}""", "\"command\" twice")]
    public void OddTypesAndKeys_AreRefusedLikeOtherTypeErrors(string json, string expected)
    {
        string message = Error(json);
        Assert.StartsWith("server \"a\" in /etc/servers.json", message);
        Assert.Contains(expected, message);
    }
}
