using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests;

/// <summary>
/// Issue 15, deliverable 0 once running: a request the host sends after the client has given up (the server ended
/// under --no-reconnect, or a reconnect met a changed host key) is answered with the client's final one-line error
/// instead of meeting a closed pipe; the exit code stays the same.
/// </summary>
[Collection(SshdCollection.Name)]
public sealed class HostSeesGiveUpTests(SshdFixture sshd)
{
    private static string Call(int id, string tool, string arguments) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}";

    private static async Task InitializeAsync(RawMcpSsh run)
    {
        await run.WriteLineAsync(RawMcpSsh.Initialize);
        Assert.True((await run.ReadResponseAsync()).TryGetProperty("result", out _));
        await run.WriteLineAsync(RawMcpSsh.Initialized);
    }

    private static string ErrorLine(string stderr) => Assert.Single(stderr.Split('\n'), l => l.StartsWith("mcp-ssh:", StringComparison.Ordinal));

    [Fact]
    public async Task NoReconnect_ServerCrashed_NextRequestGetsTheFinalError_ExitsEight()
    {
        await using RawMcpSsh run = RawMcpSsh.Start(McpSshRun.Args(sshd, sshd.TestServerKey, "--no-reconnect"));
        await InitializeAsync(run);
        await run.WriteLineAsync(Call(2, "crash", "{}"));
        JsonElement inFlight = await run.ReadResponseAsync();
        Assert.True(inFlight.GetProperty("id").GetInt32() == 2, run.Stderr);
        // The client has given up once its final line is on stderr; a request from now on meets no relay.
        await run.WaitForStderrAsync("mcp-ssh: connection to");

        await run.WriteLineAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/list"}""");
        JsonElement late = await run.ReadResponseAsync();

        Assert.Equal(8, await run.WaitForExitAsync());
        Assert.Equal(3, late.GetProperty("id").GetInt32());
        Assert.Equal(-32000, late.GetProperty("error").GetProperty("code").GetInt32());
        string message = late.GetProperty("error").GetProperty("message").GetString()!;
        Assert.StartsWith($"mcp-ssh: connection to 127.0.0.1:{sshd.Port} closed: ", message, StringComparison.Ordinal);
        Assert.Equal(ErrorLine(run.Stderr), message);
    }

    [Fact]
    public async Task HostKeyChangedWhileReconnecting_LaterRequestGetsTheFinalError_ExitsFive()
    {
        var server = new SshdFixture();
        await server.InitializeAsync();
        try
        {
            await using RawMcpSsh run = RawMcpSsh.Start(McpSshRun.Args(server, server.TestServerKey));
            await InitializeAsync(run);
            server.Stop();
            server.ReplaceHostKeys();
            await server.StartAgainAsync();

            // The first request waits for the reconnect, which refuses the new key; the one after it comes too late.
            await run.WriteLineAsync(Call(2, "echo", """{"message":"never sent"}"""));
            JsonElement waiting = await run.ReadResponseAsync();
            Assert.Equal(2, waiting.GetProperty("id").GetInt32());
            await run.WaitForStderrAsync("mcp-ssh: stopped reconnecting");
            await run.WriteLineAsync(Call(3, "echo", """{"message":"too late"}"""));
            JsonElement late = await run.ReadResponseAsync();

            Assert.Equal(5, await run.WaitForExitAsync());
            Assert.Equal(3, late.GetProperty("id").GetInt32());
            string message = late.GetProperty("error").GetProperty("message").GetString()!;
            Assert.StartsWith($"mcp-ssh: stopped reconnecting: HOST KEY CHANGED for [127.0.0.1]:{server.Port}", message, StringComparison.Ordinal);
            Assert.Equal(ErrorLine(run.Stderr), message);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
