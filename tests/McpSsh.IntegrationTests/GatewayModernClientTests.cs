using McpSsh.IntegrationTests.Fixtures;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpSsh.IntegrationTests;

/// <summary>
/// The C# SDK client 2.4.0 unpinned: it probes with server/discover in place and, answered, runs 2026-07-28
/// against the gateway. Backends of both eras: the dual-era C# test server (served modern), a modern-only v2
/// server and server-everything (legacy only).
/// </summary>
public sealed class GatewayModernClientTests : IDisposable
{
    private readonly GatewayConfig _config = GatewayConfig.Write(
        ("test", GatewayConfig.TestServer), ("modern", GatewayEraTests.V2Server("reject", "modern")), ("legacy", GatewayConfig.Everything));

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    [Fact]
    public async Task ModernClient_SeesTheMergedDiscover_AndCallsAToolOnEveryBackend()
    {
        await using ClientSession session = await McpSshRun.ConnectAsync(["gateway", "--servers-config", _config.Path]);
        McpClient client = session.Client;
        Assert.Equal("2026-07-28", client.NegotiatedProtocolVersion);
        Assert.Equal("Merged: test, modern, legacy", client.ServerInfo!.Name);
        Assert.Contains("## test\n\nTest server for mcp-ssh.", client.ServerInstructions);

        IList<McpClientTool> tools = await client.ListToolsAsync();
        Assert.Contains(tools, t => t.Name == "pid");        // test
        Assert.Contains(tools, t => t.Name == "confirm");    // modern
        Assert.Contains(tools, t => t.Name == "get-sum");    // legacy
        Assert.Equal("echo: a", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "a" })));
        Assert.Equal("b", Text(await client.CallToolAsync("echo_1", new Dictionary<string, object?> { ["text"] = "b" })));
        Assert.Equal("Echo: c", Text(await client.CallToolAsync("echo_2", new Dictionary<string, object?> { ["message"] = "c" })));
    }

    [Fact]
    public async Task ModernClient_InputRequiredFromAModernBackend_IsFulfilledByTheHost()
    {
        McpClientOptions options = HostHandlers.SamplingElicitationRoots("file:///work/m");
        await using ClientSession session = await McpSshRun.ConnectAsync(["gateway", "--servers-config", _config.Path], options);
        Assert.Equal("2026-07-28", session.Client.NegotiatedProtocolVersion);
        Assert.Equal("model host-model said: reply to modern?", Text(await session.Client.CallToolAsync("sample", new Dictionary<string, object?> { ["prompt"] = "modern?" })));
        Assert.Equal("file:///work/m", Text(await session.Client.CallToolAsync("roots")));
    }

    public void Dispose() => _config.Dispose();
}
