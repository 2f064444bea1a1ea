using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpSsh.IntegrationTests;

/// <summary>--ssh-command ssh: the system OpenSSH client is the link; everything above it is unchanged.</summary>
[Collection(SshdCollection.Name)]
public class OpenSshTransportTests(SshdFixture sshd)
{
    private static List<string> Args(SshdFixture server, string key, params string[] extra) =>
        McpSshRun.Args(server, key, ["--ssh-command", "ssh", .. extra]);

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    [Fact]
    public async Task EveryMcpFeature_PassesThroughSsh()
    {
        McpClientOptions options = HostHandlers.SamplingElicitationRoots("file:///work/a");
        await using ClientSession session = await McpSshRun.ConnectAsync(Args(sshd, sshd.TestServerKey), options);
        McpClient client = session.Client;

        Assert.Equal("mcp-ssh-test-server", client.ServerInfo!.Name);
        Assert.Contains(await client.ListToolsAsync(), t => t.Name == "echo");
        Assert.Equal("echo: héllo ✓", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "héllo ✓" })));
        Assert.Equal("greeting", Assert.Single(await client.ListPromptsAsync()).Name);
        Assert.Equal("test://static/hello", Assert.Single(await client.ListResourcesAsync()).Uri);
        Assert.Equal("model host-model said: reply to ping?", Text(await client.CallToolAsync("sample", new Dictionary<string, object?> { ["prompt"] = "ping?" })));
        Assert.Equal("accept: 42 for why?", Text(await client.CallToolAsync("elicit", new Dictionary<string, object?> { ["question"] = "why?" })));
        Assert.Equal("file:///work/a", Text(await client.CallToolAsync("roots")));
        var payload = new string('x', 2 * 1024 * 1024);
        Assert.Equal("echo: " + payload, Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = payload })));
        Assert.Contains("through ssh (pid ", session.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostAlias_IsResolvedBySshItself()
    {
        using var home = new TestHome();
        home.WriteConfig(TestHome.HostBlock("build", sshd, $"  IdentityFile {sshd.TestServerKey}"));

        // ssh reads ~/.ssh/config from the passwd entry, not $HOME: the test home's file is named as ssh -F.
        await using ClientSession session = await McpSshRun.ConnectAsync(["--host", "build", "--ssh-config", home.ConfigFile, "--ssh-command", "ssh"], environment: home.Environment());

        Assert.Equal("echo: x", Text(await session.Client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "x" })));
        Assert.Contains($"Connected to build through ssh", session.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecMode_RemoteCommandRunsThroughSsh()
    {
        await using ClientSession session = await McpSshRun.ConnectAsync(Args(sshd, sshd.ExecKey, "--remote-command", sshd.TestServerCommand));
        Assert.Equal("5", Text(await session.Client.CallToolAsync("add", new Dictionary<string, object?> { ["a"] = 2, ["b"] = 3 })));
    }

    [Fact]
    public async Task UnknownHostKey_IsExitFiveWithTheFix()
    {
        string empty = Path.Combine(sshd.Dir, $"empty_known_hosts_{Guid.NewGuid():N}");
        File.WriteAllText(empty, "");
        List<string> args = Args(sshd, sshd.TestServerKey);
        args[args.IndexOf("--known-hosts") + 1] = empty;

        (int code, string stderr, string stdout) = await RawMcpSsh.RunToEndAsync(args);

        Assert.Equal(5, code);
        Assert.Equal("", stdout);
        Assert.Contains($"mcp-ssh: ssh (ssh) to 127.0.0.1:{sshd.Port}: host key verification failed", stderr, StringComparison.Ordinal);
        Assert.Contains("--accept-new", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedKey_IsExitSix()
    {
        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(Args(sshd, sshd.UnauthorizedKey));
        Assert.Equal(6, code);
        Assert.Contains("authentication failed (", stderr, StringComparison.Ordinal);
        Assert.Contains("Permission denied", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClosedPort_IsExitThree()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int closed = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        List<string> args = Args(sshd, sshd.TestServerKey);
        args[args.IndexOf("--port") + 1] = closed.ToString(System.Globalization.CultureInfo.InvariantCulture);

        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(args);

        Assert.Equal(3, code);
        Assert.Contains("Connection refused", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SshdRestartMidSession_IsSurvived()
    {
        var server = new SshdFixture();
        await server.InitializeAsync();
        try
        {
            await using RawMcpSsh run = RawMcpSsh.Start(Args(server, server.TestServerKey));
            await run.WriteLineAsync(RawMcpSsh.Initialize);
            Assert.Equal(1, (await run.ReadResponseAsync()).GetProperty("id").GetInt32());
            await run.WriteLineAsync(RawMcpSsh.Initialized);
            await run.WriteLineAsync(Call(2, "echo", "before"));
            Assert.Equal("echo: before", Text(await run.ReadResponseAsync()));

            server.Stop();
            await run.WriteLineAsync(Call(3, "echo", "waited"));
            await run.WaitForStderrAsync("Reconnect attempt 1 to ");
            await server.StartAgainAsync();

            JsonElement waited = await run.ReadResponseAsync();
            Assert.Equal(3, waited.GetProperty("id").GetInt32());
            Assert.Equal("echo: waited", Text(waited));
            run.CloseStdin();
            Assert.Equal(0, await run.WaitForExitAsync());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static string Call(int id, string tool, string message) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":{\"message\":\"" + message + "\"}}}";

    private static string Text(JsonElement answer) => answer.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!;
}
