using McpSsh.Gateway;
using McpSsh.Tests.Support;

namespace McpSsh.Tests.Gateway;

public class ServerCatalogTests
{
    private static IReadOnlyList<ServerConfig> Parse(string json, List<string>? warnings = null) =>
        ServerCatalog.Parse("/etc/servers.json", json, warnings ?? [], (command, _) => command == "missing" ? null : "/usr/bin/" + command);

    private static string Error(string json) => Assert.Throws<GatewayConfigException>(() => Parse(json)).Message;

    [Fact]
    public void DesktopFormat_KeepsOrderArgsEnvAndCwd()
    {
        var servers = Parse("""
            {"mcpServers": {
              "files": {"command": "node", "args": ["server.js", "--root", "/srv"], "env": {"TOKEN": "t"}, "cwd": "/tmp"},
              "dates": {"command": "uvx", "args": ["mcp-server-time"]}
            }}
            """);

        Assert.Equal(["files", "dates"], servers.Select(s => s.Name));
        Assert.Equal("/usr/bin/node", servers[0].Command);
        Assert.Equal(["server.js", "--root", "/srv"], servers[0].Args);
        Assert.Equal("t", servers[0].Env["TOKEN"]);
        Assert.Equal("/tmp", servers[0].Cwd);
        Assert.Null(servers[1].Cwd);
        Assert.Empty(servers[1].Env);
    }

    [Fact]
    public void UnknownFields_AreWarnedAboutAndIgnored()
    {
        var warnings = new List<string>();
        var servers = Parse("""{"mcpServers": {"a": {"command": "node", "disabled": true, "transport": "stdio"}}}""", warnings);
        Assert.Single(servers);
        Assert.Equal(
        [
            "server \"a\" in /etc/servers.json: unknown field \"disabled\" ignored",
            "server \"a\" in /etc/servers.json: unknown field \"transport\" ignored",
        ], warnings);
    }

    [Fact]
    public void BadJson_NamesLineAndColumn()
    {
        string message = Error("{\"mcpServers\": {\n  \"a\": {\"command\": \"node\",, }\n}}");
        Assert.StartsWith("servers config /etc/servers.json is not valid JSON at line 2, column ", message);
    }

    [Theory]
    [InlineData("""{"servers": {}}""", "has no \"mcpServers\" object")]
    [InlineData("""[]""", "has no \"mcpServers\" object")]
    [InlineData("""{"mcpServers": {}}""", "lists no servers")]
    [InlineData("""{"mcpServers": {"a": {"args": []}}}""", "server \"a\" in /etc/servers.json has no \"command\"")]
    [InlineData("""{"mcpServers": {"a": {"command": ""}}}""", "has no \"command\"")]
    [InlineData("""{"mcpServers": {"a": "node"}}""", "must be an object")]
    [InlineData("""{"mcpServers": {"a": {"command": "node", "args": "x"}}}""", "\"args\" must be an array of strings")]
    [InlineData("""{"mcpServers": {"a": {"command": "node", "env": {"A": 1}}}}""", "\"env\" must be an object of string values")]
    [InlineData("""{"mcpServers": {"a__b": {"command": "node"}}}""", "must not contain \"__\"")]
    [InlineData("""{"mcpServers": {"a": {"command": "missing"}}}""", "command \"missing\" was not found")]
    [InlineData("""{"mcpServers": {"a": {"command": "node", "cwd": "/no/such/dir"}}}""", "\"cwd\" /no/such/dir is not a directory")]
    public void Unusable_OneClearError(string json, string expected)
    {
        Assert.Contains(expected, Error(json));
    }

    [Fact]
    public void MissingFile_SaysWhichAndHowToFix()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<GatewayConfigException>(() => ServerCatalog.Load(dir.File("none.json"), []));
        Assert.Contains($"cannot read servers config {dir.File("none.json")}", ex.Message);
        Assert.Contains("--servers-config", ex.Message);
    }

    [Fact]
    public void ResolveExecutable_UsesTheServersOwnPathFirst_AndNeedsTheExecuteBit()
    {
        using var dir = new TempDirectory();
        string tool = dir.File("my-server");
        File.WriteAllText(tool, "#!/bin/sh\n");
        Assert.Null(ServerCatalog.ResolveExecutable("my-server", dir.Path));

        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Equal(tool, ServerCatalog.ResolveExecutable("my-server", dir.Path));
        Assert.Equal(tool, ServerCatalog.ResolveExecutable(tool, null));
        Assert.Null(ServerCatalog.ResolveExecutable(dir.File("absent"), null));
    }
}
