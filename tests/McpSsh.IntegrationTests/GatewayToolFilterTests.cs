using System.Text.Json.Nodes;
using McpSsh.IntegrationTests.Fixtures;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpSsh.IntegrationTests;

/// <summary>
/// Per-server "tools": {"allow", "deny"} through `mcp-ssh gateway` with real servers of both eras (three 2025-era
/// servers and the 2026-07-28 v2 server), for a host of either era (the C# SDK client pinned to 2025-11-25, or left
/// to probe, when it speaks 2026-07-28): filtered tools never enter the merged list, and a call of one (listed
/// first or not) gets a JSON-RPC error naming the server and the glob.
/// </summary>
public sealed class GatewayToolFilterTests : IDisposable
{
    private readonly GatewayConfig _config = WriteConfig();

    private static GatewayConfig WriteConfig()
    {
        var config = GatewayConfig.Write(
            ("files", (TestPaths.Node, [GatewayNameTests.OddServerJs])),
            ("everything", GatewayConfig.Everything),
            ("test", GatewayConfig.TestServer),
            ("v2", (TestPaths.Node, [Path.Combine(TestPaths.RepoRoot, "tests", "node", "v2-server.mjs"), "reject"])));

        // The fixture writes command, args and env; the filters are added to that file here.
        JsonNode root = JsonNode.Parse(File.ReadAllText(config.Path))!;
        root["mcpServers"]!["files"]!["tools"] = JsonNode.Parse("""{"deny": ["delete_*"]}""");
        root["mcpServers"]!["everything"]!["tools"] = JsonNode.Parse("""{"allow": ["echo", "get-*"], "deny": ["get-env", "get-tiny-image"]}""");
        root["mcpServers"]!["v2"]!["tools"] = JsonNode.Parse("""{"deny": ["slow", "bump", "echo"]}""");
        File.WriteAllText(config.Path, root.ToJsonString());
        return config;
    }

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    /// <summary>A host of the given era: "2025-11-25" pins the legacy handshake; null lets the SDK probe and speak 2026-07-28.</summary>
    private async Task<ClientSession> ConnectAsync(string? era)
    {
        ClientSession session = await McpSshRun.ConnectAsync(["gateway", "--servers-config", _config.Path], new McpClientOptions { ProtocolVersion = era });
        Assert.Equal(era ?? "2026-07-28", session.Client.NegotiatedProtocolVersion);
        return session;
    }

    [Theory]
    [InlineData("2025-11-25")]
    [InlineData(null)]
    public async Task FilteredTools_AreAbsentFromTheMergedList(string? era)
    {
        await using ClientSession session = await ConnectAsync(era);
        List<string> tools = [.. (await session.Client.ListToolsAsync()).Select(t => t.Name)];

        Assert.DoesNotContain(tools, t => t.StartsWith("delete_", StringComparison.Ordinal));
        Assert.Contains("files_read", tools); // the files server's other tools are there
        // everything: only echo and get-* minus the denied ones; its echo clashes with files' echo, so it is echo_1.
        Assert.Contains("echo_1", tools);
        Assert.Contains("get-sum", tools);
        Assert.Contains("get-structured-content", tools);
        Assert.DoesNotContain("get-env", tools);
        Assert.DoesNotContain("get-tiny-image", tools);
        Assert.DoesNotContain("toggle-simulated-logging", tools);
        Assert.DoesNotContain("trigger-long-running-operation", tools);
        // The test server has no filter: all of it, its echo after the other two.
        Assert.Contains("echo_2", tools);
        Assert.Contains("wait_for_cancel", tools);
        // The modern v2 server: its other tools are there, its echo, slow and bump are not (the test server's slow
        // is, unsuffixed: no slow_1 and no echo_3).
        Assert.Contains("confirm", tools);
        Assert.Contains("log", tools);
        Assert.Contains("slow", tools);
        Assert.DoesNotContain("slow_1", tools);
        Assert.DoesNotContain("bump", tools);
        Assert.DoesNotContain("echo_3", tools);
        Assert.Equal(tools.Count, tools.Distinct().Count());

        Assert.Equal("files:files.read", Text(await session.Client.CallToolAsync("files_read")));
        Assert.Contains("is 7", Text(await session.Client.CallToolAsync("get-sum", new Dictionary<string, object?> { ["a"] = 3, ["b"] = 4 })));
    }

    [Theory]
    [InlineData("2025-11-25")]
    [InlineData(null)]
    public async Task CallOfAFilteredTool_NamesServerAndGlob_ListedFirstOrNot(string? era)
    {
        await using ClientSession session = await ConnectAsync(era);

        // Not listed yet in this session: the gateway learns the lists, then refuses with the reason.
        var denied = await Assert.ThrowsAsync<McpProtocolException>(() => session.Client.CallToolAsync("delete_all").AsTask());
        Assert.Equal(McpErrorCode.InvalidParams, denied.ErrorCode);
        Assert.Contains("tool \"delete_all\" of server \"files\" is filtered out by the gateway's servers config: it matches \"tools.deny\" glob \"delete_*\"", denied.Message);

        await session.Client.ListToolsAsync();
        var notAllowed = await Assert.ThrowsAsync<McpProtocolException>(() => session.Client.CallToolAsync("toggle-simulated-logging").AsTask());
        Assert.Contains("tool \"toggle-simulated-logging\" of server \"everything\" is filtered out by the gateway's servers config: it matches no \"tools.allow\" glob (echo, get-*)", notAllowed.Message);
        var deniedEnv = await Assert.ThrowsAsync<McpProtocolException>(() => session.Client.CallToolAsync("get-env").AsTask());
        Assert.Contains("server \"everything\"", deniedEnv.Message);
        Assert.Contains("it matches \"tools.deny\" glob \"get-env\"", deniedEnv.Message);

        var modern = await Assert.ThrowsAsync<McpProtocolException>(() => session.Client.CallToolAsync("bump").AsTask());
        Assert.Contains("tool \"bump\" of server \"v2\" is filtered out by the gateway's servers config: it matches \"tools.deny\" glob \"bump\"; the call was not sent", modern.Message);

        // The unfiltered test server is untouched by the others' filters.
        Assert.Equal("5", Text(await session.Client.CallToolAsync("add", new Dictionary<string, object?> { ["a"] = 2, ["b"] = 3 })));
        // And the session goes on.
        Assert.Equal("files:echo", Text(await session.Client.CallToolAsync("echo")));
    }

    public void Dispose() => _config.Dispose();
}

/// <summary>One backend is relayed byte for byte, but its filter still applies (serve's usual case: one server).</summary>
public sealed class GatewaySingleServerToolFilterTests : IDisposable
{
    private readonly GatewayConfig _config = WriteConfig();

    private static GatewayConfig WriteConfig()
    {
        var config = GatewayConfig.Write(("files", (TestPaths.Node, [GatewayNameTests.OddServerJs])));
        JsonNode root = JsonNode.Parse(File.ReadAllText(config.Path))!;
        root["mcpServers"]!["files"]!["tools"] = JsonNode.Parse("""{"allow": ["*"], "deny": ["delete_*", "do it/now"]}""");
        File.WriteAllText(config.Path, root.ToJsonString());
        return config;
    }

    [Fact]
    public async Task SingleServer_FilteredToolsAbsent_CallRefusedNamingServerAndGlob()
    {
        await using ClientSession session = await McpSshRun.ConnectAsync(["gateway", "--servers-config", _config.Path]);
        List<string> tools = [.. (await session.Client.ListToolsAsync()).Select(t => t.Name)];
        Assert.Equal(GatewayNameTests.OddTools.Where(t => !t.StartsWith("delete_", StringComparison.Ordinal) && t != "do it/now"), tools);

        var denied = await Assert.ThrowsAsync<McpProtocolException>(() => session.Client.CallToolAsync("delete_one").AsTask());
        Assert.Contains("tool \"delete_one\" of server \"files\" is filtered out by the gateway's servers config: it matches \"tools.deny\" glob \"delete_*\"; the call was not sent", denied.Message);
        Assert.Equal("files:files.read", Assert.IsType<TextContentBlock>(Assert.Single((await session.Client.CallToolAsync("files.read")).Content)).Text);
    }

    public void Dispose() => _config.Dispose();
}
