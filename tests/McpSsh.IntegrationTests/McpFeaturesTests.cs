using System.Collections.Concurrent;
using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpSsh.IntegrationTests;

/// <summary>Every MCP feature through mcp-ssh (shell channel) to the C# SDK test server behind a real sshd.</summary>
[Collection(SshdCollection.Name)]
public class McpFeaturesTests(SshdFixture sshd)
{
    private static readonly CancellationToken s_none = CancellationToken.None;

    private Task<ClientSession> ConnectAsync(McpClientOptions? options = null) =>
        McpSshRun.ConnectAsync(McpSshRun.Args(sshd, sshd.TestServerKey), options);

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    [Fact]
    public async Task ToolsPromptsResources_RoundTrip()
    {
        await using ClientSession session = await ConnectAsync();
        McpClient client = session.Client;

        Assert.Equal("mcp-ssh-test-server", client.ServerInfo!.Name);
        Assert.Equal("Test server for mcp-ssh.", client.ServerInstructions);

        IList<McpClientTool> tools = await client.ListToolsAsync();
        Assert.Contains(tools, t => t.Name == "echo");
        Assert.Contains(tools, t => t.Name == "sample");
        Assert.Equal("echo: héllo ✓", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "héllo ✓" })));
        Assert.Equal("5", Text(await client.CallToolAsync("add", new Dictionary<string, object?> { ["a"] = 2, ["b"] = 3 })));

        IList<McpClientPrompt> prompts = await client.ListPromptsAsync();
        Assert.Equal("greeting", Assert.Single(prompts).Name);
        GetPromptResult prompt = await client.GetPromptAsync("greeting", new Dictionary<string, object?> { ["name"] = "Ada" });
        Assert.Contains("Ada", Assert.IsType<TextContentBlock>(Assert.Single(prompt.Messages).Content).Text);

        IList<McpClientResource> resources = await client.ListResourcesAsync();
        Assert.Equal("test://static/hello", Assert.Single(resources).Uri);
        ReadResourceResult read = await client.ReadResourceAsync("test://static/hello");
        Assert.Equal("hello from the test server", Assert.IsType<TextResourceContents>(Assert.Single(read.Contents)).Text);
    }

    [Fact]
    public async Task Sampling_ElicitationAndRoots_RequestsFromTheServerReachTheHost()
    {
        McpClientOptions options = HostHandlers.SamplingElicitationRoots("file:///work/a", "file:///work/b");
        await using ClientSession session = await ConnectAsync(options);

        Assert.Equal("model host-model said: reply to ping?", Text(await session.Client.CallToolAsync("sample", new Dictionary<string, object?> { ["prompt"] = "ping?" })));
        Assert.Equal("accept: 42 for why?", Text(await session.Client.CallToolAsync("elicit", new Dictionary<string, object?> { ["question"] = "why?" })));
        Assert.Equal("file:///work/a,file:///work/b", Text(await session.Client.CallToolAsync("roots")));
    }

    [Fact]
    public async Task ProgressAndLoggingNotifications_Arrive()
    {
        await using ClientSession session = await ConnectAsync();
        var logged = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var _ = session.Client.RegisterNotificationHandler(NotificationMethods.LoggingMessageNotification, (notification, _) =>
        {
            logged.TrySetResult(notification.Params!["data"]!.GetValue<string>());
            return ValueTask.CompletedTask;
        });

        // Progress is counted as it arrives on the wire: the SDK's per-call IProgress stops listening at the result.
        var progress = new ConcurrentQueue<float>();
        await using var __ = session.Client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (notification, _) =>
        {
            progress.Enqueue(notification.Params!["progress"]!.GetValue<float>());
            return ValueTask.CompletedTask;
        });
        CallToolResult result = await session.Client.CallToolAsync("slow", new Dictionary<string, object?> { ["steps"] = 3, ["stepMs"] = 1 },
            new HostHandlers.IgnoreProgress());
        Assert.Equal("done after 3 steps", Text(result));
        await HostHandlers.WaitUntilAsync(() => progress.Count == 3, session);
        Assert.Equal([1f, 2f, 3f], progress.Order());

        Assert.Equal("logged", Text(await session.Client.CallToolAsync("log", new Dictionary<string, object?> { ["message"] = "careful" })));
        Assert.Equal("careful", await logged.Task.WaitAsync(McpSshRun.Timeout));
    }

    [Fact]
    public async Task Cancellation_ReachesTheRemoteServer()
    {
        await using ClientSession session = await ConnectAsync();
        string marker = Path.Combine(sshd.Dir, $"cancelled-{Guid.NewGuid():N}");
        using var cts = new CancellationTokenSource();

        Task<CallToolResult> call = session.Client.CallToolAsync("wait_for_cancel", new Dictionary<string, object?> { ["markerPath"] = marker }, cancellationToken: cts.Token).AsTask();
        // The tool is running once the server has it; a following round trip proves the request went out first.
        Assert.Equal("echo: after", Text(await session.Client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "after" })));
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        // The server writes the marker when its token fires; another round trip gives it time to do so, in order.
        await HostHandlers.WaitUntilAsync(() => File.Exists(marker) && File.ReadAllText(marker).Length > 0, session);
        Assert.Equal("cancelled", File.ReadAllText(marker));
    }

    [Fact]
    public async Task EightMebibyteMessages_BothWays()
    {
        await using ClientSession session = await ConnectAsync();
        const int size = 8 * 1024 * 1024;

        string sent = new('y', size);
        Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(await session.Client.CallToolAsync("measure", new Dictionary<string, object?> { ["data"] = sent })));

        string received = Text(await session.Client.CallToolAsync("payload", new Dictionary<string, object?> { ["size"] = size }));
        Assert.Equal(size, received.Length);
        Assert.True(received.All(c => c == 'x'));
    }

    [Fact]
    public async Task HundredConcurrentCalls_EachGetsItsOwnAnswer()
    {
        await using ClientSession session = await ConnectAsync();
        Task<CallToolResult>[] calls = Enumerable.Range(0, 100)
            .Select(i => session.Client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = $"m{i}" }).AsTask())
            .ToArray();
        CallToolResult[] results = await Task.WhenAll(calls).WaitAsync(McpSshRun.Timeout);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal($"echo: m{i}", Text(results[i]));
        }
    }

    [Fact]
    public async Task TraceLogging_NamesFramesButNeverTheirContent()
    {
        string logFile = Path.Combine(sshd.Dir, $"trace-{Guid.NewGuid():N}.log");
        await using ClientSession session = await McpSshRun.ConnectAsync(McpSshRun.Args(sshd, sshd.TestServerKey, "--log-level", "trace", "--log-file", logFile));
        await session.Client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "top-secret-payload" });
        await session.Client.ListPromptsAsync();

        await HostHandlers.WaitUntilAsync(() => session.Stderr.Contains("method=prompts/list"), session);
        Assert.Contains("host -> remote:", session.Stderr);
        Assert.Contains("method=tools/call", session.Stderr);
        Assert.Contains("remote -> host:", session.Stderr);
        Assert.DoesNotContain("top-secret-payload", session.Stderr);

        // --log-file gets the same lines as stderr.
        string logged = File.ReadAllText(logFile);
        Assert.Contains("method=tools/call", logged);
        Assert.Contains("Connected to 127.0.0.1:", logged);
        Assert.DoesNotContain("top-secret-payload", logged);
    }
}
