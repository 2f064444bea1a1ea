using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpSsh.IntegrationTests;

/// <summary>
/// `mcp-ssh gateway` (the native binary) with real backends: two server-everything instances around the C# SDK
/// test server, driven by the C# SDK client. The test server is the second backend on purpose: everything it
/// does has to be routed, not just passed to the first.
/// </summary>
public sealed class GatewayTests : IDisposable
{
    private readonly GatewayConfig _config = GatewayConfig.Write(
        ("everything", GatewayConfig.Everything), ("test", GatewayConfig.TestServer), ("everything2", GatewayConfig.Everything));

    private static Dictionary<string, object?> Args(params (string Key, object? Value)[] args) => args.ToDictionary(a => a.Key, a => a.Value);

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    private Task<ClientSession> ConnectAsync(McpClientOptions? options = null, params string[] extra) =>
        McpSshRun.ConnectAsync(["gateway", "--servers-config", _config.Path, .. extra], options);

    /// <summary>A backend on its own, straight through the SDK: what the merged view must add up to.</summary>
    private static async Task<(int Tools, int Prompts, int Resources)> DirectCountsAsync((string Command, string[] Args) server)
    {
        await using McpClient client = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = server.Command,
            Arguments = server.Args,
        }));
        return ((await client.ListToolsAsync()).Count, (await client.ListPromptsAsync()).Count, (await client.ListResourcesAsync()).Count);
    }

    [Fact]
    public async Task MergedView_AddsUp_AndRenamedCallsReachTheRightBackend()
    {
        var everything = await DirectCountsAsync(GatewayConfig.Everything);
        var test = await DirectCountsAsync(GatewayConfig.TestServer);
        await using ClientSession session = await ConnectAsync();
        McpClient client = session.Client;

        Assert.Equal("Merged: everything, test, everything2", client.ServerInfo!.Name);
        Assert.Contains("## test\n\nTest server for mcp-ssh.", client.ServerInstructions);

        IList<McpClientTool> tools = await client.ListToolsAsync();
        Assert.Equal((2 * everything.Tools) + test.Tools, tools.Count);
        Assert.Equal(tools.Count, tools.Select(t => t.Name).Distinct().Count());
        Assert.Equal((2 * everything.Prompts) + test.Prompts, (await client.ListPromptsAsync()).Count);
        Assert.Equal((2 * everything.Resources) + test.Resources, (await client.ListResourcesAsync()).Count);

        // First keeps the name, later ones count up in config order.
        Assert.Equal("Echo: one", Text(await client.CallToolAsync("echo", Args(("message", "one")))));
        Assert.Equal("echo: two", Text(await client.CallToolAsync("echo_1", Args(("message", "two")))));
        Assert.Equal("Echo: three", Text(await client.CallToolAsync("echo_2", Args(("message", "three")))));
        Assert.Equal("everything", BackendNameOf(await client.CallToolAsync("get-env")));
        Assert.Equal("everything2", BackendNameOf(await client.CallToolAsync("get-env_1")));

        GetPromptResult greeting = await client.GetPromptAsync("greeting", Args(("name", "Ada")));
        Assert.Contains("Ada", Assert.IsType<TextContentBlock>(Assert.Single(greeting.Messages).Content).Text);

        // Resources route by URI: exact first, then templates.
        ReadResourceResult hello = await client.ReadResourceAsync("test://static/hello");
        Assert.Equal("hello from the test server", Assert.IsType<TextResourceContents>(Assert.Single(hello.Contents)).Text);
        ReadResourceResult dynamic = await client.ReadResourceAsync("demo://resource/dynamic/text/7");
        Assert.Equal("demo://resource/dynamic/text/7", Assert.Single(dynamic.Contents).Uri);

        // Not offered by anyone: a JSON-RPC error, and the session goes on.
        var missing = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("no-such-tool").AsTask());
        Assert.Contains("\"no-such-tool\" is not offered by any backend", missing.Message);
        Assert.Equal("echo: still here", Text(await client.CallToolAsync("echo_1", Args(("message", "still here")))));
    }

    [Fact]
    public async Task PrefixNames_NameEveryToolAndPromptByItsServer()
    {
        await using ClientSession session = await ConnectAsync(null, "--prefix-names");
        IList<McpClientTool> tools = await session.Client.ListToolsAsync();
        Assert.All(tools, t => Assert.Matches("^(everything|test|everything2)__", t.Name));
        Assert.Equal("echo: p", Text(await session.Client.CallToolAsync("test__echo", Args(("message", "p")))));
        Assert.Equal("everything2", BackendNameOf(await session.Client.CallToolAsync("everything2__get-env")));
        Assert.Contains(await session.Client.ListPromptsAsync(), p => p.Name == "test__greeting");
    }

    [Fact]
    public async Task SamplingElicitationAndRoots_FromTheSecondBackend_ComeBackToIt()
    {
        // Legacy host on purpose: real server-to-client requests. The test server (C# SDK 2.4.0) is dual-era, so the
        // gateway serves it modern and turns its input_required results into these requests (GatewayEraTests has the modern host).
        McpClientOptions options = HostHandlers.SamplingElicitationRoots("file:///work/a");
        options.ProtocolVersion = "2025-11-25";
        await using ClientSession session = await ConnectAsync(options);

        // Concurrently, so the gateway's ids for the backends' requests must keep them apart.
        Task<CallToolResult> sample = session.Client.CallToolAsync("sample", Args(("prompt", "ping?"))).AsTask();
        Task<CallToolResult> elicit = session.Client.CallToolAsync("elicit", Args(("question", "why?"))).AsTask();
        Task<CallToolResult> roots = session.Client.CallToolAsync("roots").AsTask();
        Assert.Equal("model host-model said: reply to ping?", Text(await sample));
        Assert.Equal("accept: 42 for why?", Text(await elicit));
        Assert.Equal("file:///work/a", Text(await roots));
    }

    [Fact]
    public async Task ProgressAndLogging_FromTheSecondBackend_ReachTheHost()
    {
        await using ClientSession session = await ConnectAsync();
        var progress = new ConcurrentQueue<float>();
        await using var onProgress = session.Client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (n, _) =>
        {
            progress.Enqueue(n.Params!["progress"]!.GetValue<float>());
            return ValueTask.CompletedTask;
        });
        var logged = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onLog = session.Client.RegisterNotificationHandler(NotificationMethods.LoggingMessageNotification, (n, _) =>
        {
            logged.TrySetResult(n.Params!["data"]!.GetValue<string>());
            return ValueTask.CompletedTask;
        });

        CallToolResult result = await session.Client.CallToolAsync("slow", Args(("steps", 3), ("stepMs", 1)), new HostHandlers.IgnoreProgress());
        Assert.Equal("done after 3 steps", Text(result));
        await HostHandlers.WaitUntilAsync(() => progress.Count == 3, session, "echo_1");
        Assert.Equal([1f, 2f, 3f], progress.Order());

        Assert.Equal("logged", Text(await session.Client.CallToolAsync("log", Args(("message", "careful")))));
        Assert.Equal("careful", await logged.Task.WaitAsync(McpSshRun.Timeout));
    }

    [Fact]
    public async Task Cancellation_GoesToTheBackendHoldingTheRequest()
    {
        await using ClientSession session = await ConnectAsync();
        string marker = Path.Combine(_config.Dir, "cancelled");
        using var cts = new CancellationTokenSource();

        Task<CallToolResult> call = session.Client.CallToolAsync("wait_for_cancel", Args(("markerPath", marker)), cancellationToken: cts.Token).AsTask();
        Assert.Equal("echo: after", Text(await session.Client.CallToolAsync("echo_1", Args(("message", "after")))));
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        await HostHandlers.WaitUntilAsync(() => File.Exists(marker) && File.ReadAllText(marker).Length > 0, session, "echo_1");
        Assert.Equal("cancelled", File.ReadAllText(marker));
    }

    [Fact]
    public async Task BackendCrashingMidCall_FailsThatCall_ThenRestartsOnTheNextOne()
    {
        // Legacy host on purpose: it expects an unsolicited list_changed (a modern host gets one only through
        // subscriptions/listen; GatewayEraTests covers that).
        await using ClientSession session = await ConnectAsync(new McpClientOptions { ProtocolVersion = "2025-11-25" });
        var toolsChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onChanged = session.Client.RegisterNotificationHandler(NotificationMethods.ToolListChangedNotification, (_, _) =>
        {
            toolsChanged.TrySetResult();
            return ValueTask.CompletedTask;
        });
        string pidBefore = Text(await session.Client.CallToolAsync("pid"));

        var crash = await Assert.ThrowsAsync<McpProtocolException>(() => session.Client.CallToolAsync("crash").AsTask());
        Assert.Contains("backend test exited with status 3 before answering", crash.Message);
        await toolsChanged.Task.WaitAsync(McpSshRun.Timeout);

        // The other backends never noticed; the crashed one comes back for the next call that needs it.
        Assert.Equal("Echo: unaffected", Text(await session.Client.CallToolAsync("echo", Args(("message", "unaffected")))));
        string pidAfter = Text(await session.Client.CallToolAsync("pid"));
        Assert.NotEqual(pidBefore, pidAfter);
        Assert.Equal("echo: back", Text(await session.Client.CallToolAsync("echo_1", Args(("message", "back")))));
        await HostHandlers.WaitUntilAsync(() => session.Stderr.Contains("Restarting backend test (attempt 1)", StringComparison.Ordinal), session, "echo_1");
    }

    [Fact]
    public async Task BackendThatNeverAnswersInitialize_IsLeftOut_AndShutdownStillLeavesNothing()
    {
        using GatewayConfig config = GatewayConfig.Write(("test", GatewayConfig.TestServer), ("stubborn", GatewayConfig.Stubborn));
        var session = await McpSshRun.ConnectAsync(["gateway", "--servers-config", config.Path, "--init-timeout", "2"]);
        try
        {
            // The one backend that answered is the whole server, under its own name.
            Assert.Equal("mcp-ssh-test-server", session.Client.ServerInfo!.Name);
            Assert.Equal("echo: alone", Text(await session.Client.CallToolAsync("echo", Args(("message", "alone")))));
            // stderr is another pipe: poll it between round trips.
            const string leftOut = "Backend stubborn left out: initialize failed: backend stubborn did not answer initialize within 2 s (--init-timeout)";
            await HostHandlers.WaitUntilAsync(() => session.Stderr.Contains(leftOut, StringComparison.Ordinal), session);
        }
        finally
        {
            await session.DisposeAsync();
        }

        Assert.Empty(config.LiveBackendPids());
    }

    [Fact]
    public async Task StdinEof_StopsEveryBackend_EvenOnesIgnoringSigterm_ExitZero()
    {
        using GatewayConfig config = GatewayConfig.Write(
            ("everything", GatewayConfig.Everything), ("test", GatewayConfig.TestServer), ("stubborn", GatewayConfig.Stubborn));
        await using RawMcpSsh gateway = RawMcpSsh.Start(["gateway", "--servers-config", config.Path, "--init-timeout", "3"]);
        await gateway.WriteLineAsync(RawMcpSsh.Initialize);
        JsonElement initialized = await gateway.ReadResponseAsync();
        Assert.Equal("Merged: everything, test", initialized.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
        await gateway.WriteLineAsync(RawMcpSsh.Initialized);
        await gateway.WriteLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"pid","arguments":{}}}""");
        JsonElement pid = await gateway.ReadResponseAsync();
        Assert.Equal(2, pid.GetProperty("id").GetInt32());

        // 4 processes at least: node, dotnet, sh and its sleep.
        Assert.True(config.LiveBackendPids().Count >= 4, $"backends alive: {config.LiveBackendPids().Count}");

        gateway.CloseStdin();
        Assert.Equal(0, await gateway.WaitForExitAsync());
        Assert.Empty(config.LiveBackendPids());
        Assert.Contains("Backend stubborn", gateway.Stderr);
    }

    [Fact]
    public async Task MalformedLinesAndUnknownMethods_GetJsonRpcErrors_AndTheSessionGoesOn()
    {
        await using RawMcpSsh gateway = RawMcpSsh.Start(["gateway", "--servers-config", _config.Path]);
        await gateway.WriteLineAsync(RawMcpSsh.Initialize);
        await gateway.ReadResponseAsync();
        await gateway.WriteLineAsync(RawMcpSsh.Initialized);

        await gateway.WriteLineAsync("""{"jsonrpc":"2.0","id":5,"method":"tools/call","params":""");
        JsonElement parse = await gateway.ReadResponseAsync();
        Assert.Equal(-32700, parse.GetProperty("error").GetProperty("code").GetInt32());

        await gateway.WriteLineAsync("""{"jsonrpc":"2.0","id":"u","method":"vendor/frobnicate","params":{}}""");
        JsonElement unknown = await gateway.ReadResponseAsync();
        Assert.Equal("u", unknown.GetProperty("id").GetString());
        Assert.Equal(-32601, unknown.GetProperty("error").GetProperty("code").GetInt32());

        await gateway.WriteLineAsync("""{"jsonrpc":"2.0","id":6,"method":"ping"}""");
        JsonElement ping = await gateway.ReadResponseAsync();
        Assert.Equal(6, ping.GetProperty("id").GetInt32());
        Assert.Equal(JsonValueKind.Object, ping.GetProperty("result").ValueKind);

        gateway.CloseStdin();
        Assert.Equal(0, await gateway.WaitForExitAsync());
        Assert.Empty(_config.LiveBackendPids());
    }

    [Fact]
    public async Task OneBackend_IsRelayedByteForByte()
    {
        using GatewayConfig config = GatewayConfig.Write(("test", GatewayConfig.TestServer));
        await using RawMcpSsh gateway = RawMcpSsh.Start(["gateway", "--servers-config", config.Path]);
        await gateway.WriteLineAsync(RawMcpSsh.Initialize);
        JsonElement init = await gateway.ReadResponseAsync();
        Assert.Equal("mcp-ssh-test-server", init.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
        await gateway.WriteLineAsync(RawMcpSsh.Initialized);

        // A string id a router would have rewritten comes back exactly as sent.
        await gateway.WriteLineAsync("""{"jsonrpc":"2.0","id":"k-\u00e9","method":"tools/call","params":{"name":"echo","arguments":{"message":"x"}}}""");
        JsonElement answer = await gateway.ReadResponseAsync();
        Assert.Equal("k-é", answer.GetProperty("id").GetString());
        gateway.CloseStdin();
        Assert.Equal(0, await gateway.WaitForExitAsync());
        Assert.Empty(config.LiveBackendPids());
    }

    [Theory]
    [InlineData("missing-file", "cannot read servers config")]
    [InlineData("bad-json", "is not valid JSON at line 2, column")]
    [InlineData("no-command", "has no \"command\"")]
    [InlineData("unknown-executable", "command \"no-such-mcp-server\" was not found")]
    public async Task UnusableConfig_OneClearError_ExitCode10(string kind, string expected)
    {
        string path = Path.Combine(_config.Dir, kind + ".json");
        string? text = kind switch
        {
            "bad-json" => "{\"mcpServers\": {\n  \"a\": {\"command\": }\n}}",
            "no-command" => """{"mcpServers": {"a": {"args": ["x"]}}}""",
            "unknown-executable" => """{"mcpServers": {"a": {"command": "no-such-mcp-server"}}}""",
            _ => null,
        };
        if (text is not null)
        {
            File.WriteAllText(path, text);
        }

        var (exitCode, stderr, stdout) = await RawMcpSsh.RunToEndAsync(["gateway", "--servers-config", path]);
        Assert.Equal(10, exitCode);
        Assert.Contains(expected, stderr);
        Assert.Equal("", stdout);
    }

    public void Dispose() => _config.Dispose();

    private static string BackendNameOf(CallToolResult getEnv)
    {
        using JsonDocument env = JsonDocument.Parse(Text(getEnv));
        return env.RootElement.GetProperty("BACKEND_NAME").GetString()!;
    }
}
