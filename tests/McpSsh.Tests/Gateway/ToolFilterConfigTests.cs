using McpSsh.Gateway;

namespace McpSsh.Tests.Gateway;

public class ToolFilterConfigTests
{
    private static IReadOnlyList<ServerConfig> Parse(string json, List<string>? warnings = null) =>
        ServerCatalog.Parse("/etc/servers.json", json, warnings ?? [], (command, _) => "/usr/bin/" + command);

    private static string Error(string tools) =>
        Assert.Throws<GatewayConfigException>(() => Parse("{\"mcpServers\": {\"files\": {\"command\": \"node\", \"tools\": " + tools + "}}}")).Message;

    [Fact]
    public void Tools_AreReadPerServer_WithoutAWarning()
    {
        var warnings = new List<string>();
        var servers = Parse("""
            {"mcpServers": {
              "files": {"command": "node", "tools": {"allow": ["read_*", "list_*"], "deny": ["read_secret*"]}},
              "dates": {"command": "uvx"}
            }}
            """, warnings);

        Assert.Empty(warnings);
        Assert.Equal(["read_*", "list_*"], servers[0].Tools.Allow.Select(g => g.Text));
        Assert.Equal(["read_secret*"], servers[0].Tools.Deny.Select(g => g.Text));
        Assert.True(servers[0].Tools.Check("read_file").Allowed);
        Assert.Equal("it matches \"tools.deny\" glob \"read_secret*\"", servers[0].Tools.Check("read_secrets").Reason);
        Assert.Equal("it matches no \"tools.allow\" glob (read_*, list_*)", servers[0].Tools.Check("write_file").Reason);
        Assert.False(servers[1].Tools.IsActive);
    }

    [Theory]
    [InlineData("[\"x\"]", "server \"files\" in /etc/servers.json: \"tools\" must be an object like {\"allow\": [\"GLOB\", ...], \"deny\": [\"GLOB\", ...]}")]
    [InlineData("{\"denied\": [\"x\"]}", "server \"files\" in /etc/servers.json: \"tools\" has unknown field \"denied\"; only \"allow\" and \"deny\" are read")]
    [InlineData("{\"deny\": [\"a\"], \"deny\": [\"b\"]}", "server \"files\" in /etc/servers.json: \"tools\" has \"deny\" twice; merge the globs into one list")]
    [InlineData("{\"deny\": \"a*\"}", "server \"files\" in /etc/servers.json: \"tools.deny\" must be an array of glob strings")]
    [InlineData("{\"allow\": [1]}", "server \"files\" in /etc/servers.json: \"tools.allow\" must be an array of glob strings")]
    [InlineData("{\"deny\": [\"\"]}", "server \"files\" in /etc/servers.json: \"tools.deny\" has an empty glob; remove it")]
    [InlineData("{\"allow\": []}", "server \"files\" in /etc/servers.json: \"tools.allow\" is empty, which would hide every tool")]
    public void BadFilter_IsOneLineNamingFileServerAndFix(string tools, string expected)
    {
        string message = Error(tools);
        Assert.StartsWith(expected, message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void EmptyDenyList_IsAllowed()
    {
        Assert.False(Parse("""{"mcpServers": {"a": {"command": "node", "tools": {"deny": []}}}}""")[0].Tools.IsActive);
    }
}
