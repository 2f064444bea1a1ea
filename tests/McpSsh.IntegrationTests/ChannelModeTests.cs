using McpSsh.IntegrationTests.Fixtures;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpSsh.IntegrationTests;

/// <summary>Shell (default) and exec (--remote-command) channels, to the C# test server and to server-everything from npm.</summary>
[Collection(SshdCollection.Name)]
public class ChannelModeTests(SshdFixture sshd)
{
    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(result.Content[0]).Text;

    [Fact]
    public async Task ExecMode_RemoteCommandStartsTheTestServer()
    {
        await using ClientSession session = await McpSshRun.ConnectAsync(McpSshRun.Args(sshd, sshd.ExecKey, "--remote-command", sshd.TestServerCommand, "--log-level", "debug"));
        Assert.Equal("mcp-ssh-test-server", session.Client.ServerInfo!.Name);
        Assert.Equal("echo: exec", Text(await session.Client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "exec" })));
        Assert.Contains("exec channel", session.Stderr);
    }

    [Fact]
    public async Task ExecMode_RemoteStderrIsLoggedNotRelayed()
    {
        await using ClientSession session = await McpSshRun.ConnectAsync(McpSshRun.Args(sshd, sshd.ExecKey, "--remote-command", sshd.TestServerCommand));
        await session.Client.ListToolsAsync();
        // The test server announces itself on stderr at start; it reaches our log with a prefix, never stdout.
        using var deadline = new CancellationTokenSource(McpSshRun.Timeout);
        while (!session.Stderr.Contains("Remote stderr: mcp-ssh-test-server started"))
        {
            await session.Client.ListToolsAsync(cancellationToken: deadline.Token);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ServerEverything_ToolsAndProgress(bool exec)
    {
        List<string> args = exec
            ? McpSshRun.Args(sshd, sshd.ExecKey, "--remote-command", sshd.EverythingCommand)
            : McpSshRun.Args(sshd, sshd.EverythingKey);
        await using ClientSession session = await McpSshRun.ConnectAsync(args);

        Assert.Contains("everything", session.Client.ServerInfo!.Name, StringComparison.OrdinalIgnoreCase);
        IList<McpClientTool> tools = await session.Client.ListToolsAsync();
        Assert.Contains(tools, t => t.Name == "get-sum");
        Assert.Equal("Echo: over ssh", Text(await session.Client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "over ssh" })));
        Assert.Contains("5", Text(await session.Client.CallToolAsync("get-sum", new Dictionary<string, object?> { ["a"] = 2, ["b"] = 3 })));

        // Count progress notifications as they arrive; the SDK's per-call IProgress stops listening at the result.
        int progress = 0;
        await using var _ = session.Client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (_, _) =>
        {
            Interlocked.Increment(ref progress);
            return ValueTask.CompletedTask;
        });
        await session.Client.CallToolAsync("trigger-long-running-operation", new Dictionary<string, object?> { ["duration"] = 0.2, ["steps"] = 2 },
            new Progress(_ => { }));
        using var deadline = new CancellationTokenSource(McpSshRun.Timeout);
        while (Volatile.Read(ref progress) < 2)
        {
            await session.Client.ListToolsAsync(cancellationToken: deadline.Token);
        }
    }

    private sealed class Progress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }
}
