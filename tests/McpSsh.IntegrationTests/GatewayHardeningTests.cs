using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests;

/// <summary>
/// Issue 11 against the native gateway with several real backends: valid JSON that is not a valid message,
/// broken backend answers and a host that never sends a frame each cost one message (or end one idle session),
/// never the gateway. The first backend is a node script that writes the broken lines itself.
/// </summary>
public sealed class GatewayHardeningTests : IDisposable
{
    private static readonly string s_badServer = Path.Combine(TestPaths.RepoRoot, "tests", "McpSsh.IntegrationTests", "Fixtures", "bad-answers-server.js");
    private readonly string _received = Path.Combine(Path.GetTempPath(), $"mcp-ssh-bad-{Guid.NewGuid():N}.log");
    private readonly GatewayConfig _config;

    public GatewayHardeningTests()
    {
        _config = GatewayConfig.Write(("bad", (TestPaths.Node, [s_badServer, _received, "200000"])), ("test", GatewayConfig.TestServer));
    }

    private static string Call(string id, string tool) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":{}}}";

    private async Task<RawMcpSsh> StartAsync(params string[] extra)
    {
        RawMcpSsh gateway = RawMcpSsh.Start(["gateway", "--servers-config", _config.Path, "--max-frame-bytes", "65536", .. extra]);
        await gateway.WriteLineAsync(RawMcpSsh.Initialize);
        JsonElement init = await gateway.ReadResponseAsync();
        Assert.Equal("Merged: bad, test", init.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
        await gateway.WriteLineAsync(RawMcpSsh.Initialized);
        return gateway;
    }

    private static async Task<string> CallTextAsync(RawMcpSsh gateway, int id, string tool)
    {
        await gateway.WriteLineAsync(Call(id.ToString(System.Globalization.CultureInfo.InvariantCulture), tool));
        JsonElement answer = await gateway.ReadResponseAsync();
        Assert.Equal(id, answer.GetProperty("id").GetInt32());
        return answer.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!;
    }

    private static void AssertError(JsonElement answer, string rawId, int code, string? containing = null)
    {
        Assert.Equal(rawId, answer.GetProperty("id").GetRawText());
        Assert.Equal(code, answer.GetProperty("error").GetProperty("code").GetInt32());
        if (containing is not null)
        {
            Assert.Contains(containing, answer.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LoneSurrogateIdOrMethodFromTheHost_IsAnsweredWithItsId_AndTheGatewayGoesOn()
    {
        await using RawMcpSsh gateway = await StartAsync();

        await gateway.WriteLineAsync(Call("\"\\ud800\"", "good"));
        AssertError(await gateway.ReadResponseAsync(), "\"\\ud800\"", -32600, "lone UTF-16 surrogate");
        await gateway.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/\\udc00call\",\"params\":{}}");
        AssertError(await gateway.ReadResponseAsync(), "8", -32600, "lone UTF-16 surrogate");
        await gateway.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"\\ud800\"}}");

        Assert.Equal("good", await CallTextAsync(gateway, 9, "good"));
        Assert.Equal("echo: x", await EchoAsync(gateway, 10));
        gateway.CloseStdin();
        Assert.Equal(0, await gateway.WaitForExitAsync());
    }

    [Theory]
    [InlineData("{\"x\":1}")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("[1]")]
    public async Task InvalidIdFromTheHost_IsInvalidRequestWithNullId_AndReachesNoBackend(string id)
    {
        await using RawMcpSsh gateway = await StartAsync();

        await gateway.WriteLineAsync(Call(id, "good").Replace("\"good\"", "\"invalid-id-marker\"", StringComparison.Ordinal));
        AssertError(await gateway.ReadResponseAsync(), "null", -32600);
        await gateway.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":{\"name\":\"invalid-method-marker\"}}");
        AssertError(await gateway.ReadResponseAsync(), "null", -32600);

        // The backend reads its stdin in order: had either been broadcast, it would be logged before this call.
        Assert.Equal("good", await CallTextAsync(gateway, 5, "good"));
        string received = File.ReadAllText(_received);
        Assert.Contains("\"id\":", received, StringComparison.Ordinal);
        Assert.DoesNotContain("marker", received, StringComparison.Ordinal);
        gateway.CloseStdin();
        Assert.Equal(0, await gateway.WaitForExitAsync());
    }

    [Theory]
    [InlineData("nan", "invalid JSON")]
    [InlineData("bad_utf8", "invalid UTF-8")]
    [InlineData("huge", "65536 bytes")]
    public async Task MalformedBackendAnswer_TheHostGetsInternalErrorNamingTheServer(string tool, string reason)
    {
        await using RawMcpSsh gateway = await StartAsync();

        await gateway.WriteLineAsync(Call("\"call-1\"", tool));
        JsonElement answer = await gateway.ReadResponseAsync();
        AssertError(answer, "\"call-1\"", -32603, "backend bad");
        Assert.Contains(reason, answer.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        Assert.Equal("good", await CallTextAsync(gateway, 3, "good"));
        gateway.CloseStdin();
        Assert.Equal(0, await gateway.WaitForExitAsync());
    }

    [Fact]
    public async Task LoneSurrogatesFromABackend_AreDropped_AndItsAnswersStillArrive()
    {
        await using RawMcpSsh gateway = await StartAsync();

        Assert.Equal("after lone surrogates", await CallTextAsync(gateway, 2, "lone_surrogates"));
        Assert.Equal("good", await CallTextAsync(gateway, 3, "good"));
        Assert.Equal("echo: x", await EchoAsync(gateway, 4));
        gateway.CloseStdin();
        Assert.Equal(0, await gateway.WaitForExitAsync());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task HostThatSendsNoCompleteFrame_EndsTheSessionWithinTheBound(int backends)
    {
        using GatewayConfig config = backends == 1
            ? GatewayConfig.Write(("test", GatewayConfig.TestServer))
            : GatewayConfig.Write(("test", GatewayConfig.TestServer), ("test2", GatewayConfig.TestServer));
        await using RawMcpSsh gateway = RawMcpSsh.Start(["gateway", "--servers-config", config.Path, "--first-frame-timeout", "2"]);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await gateway.WritePartialAsync("SSH-2.0-probe {\"jsonrpc\":\"2.0\"");

        Assert.Equal(0, await gateway.WaitForExitAsync());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
        Assert.Contains("No valid JSON-RPC message from the host within 2 s (--first-frame-timeout); ending the session", gateway.Stderr, StringComparison.Ordinal);
        Assert.Empty(config.LiveBackendPids());
    }

    private static async Task<string> EchoAsync(RawMcpSsh gateway, int id)
    {
        await gateway.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"x\"}}}");
        JsonElement answer = await gateway.ReadResponseAsync();
        Assert.Equal(id, answer.GetProperty("id").GetInt32());
        return answer.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!;
    }

    public void Dispose()
    {
        _config.Dispose();
        File.Delete(_received);
    }
}
