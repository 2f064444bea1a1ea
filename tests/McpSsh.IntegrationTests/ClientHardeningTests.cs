using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests;

/// <summary>
/// Issue 11, defects 2 and 3 through the client over a real sshd to the C# SDK test server: a lone surrogate
/// id and ids of the wrong type are answered by mcp-ssh itself and the session goes on.
/// </summary>
[Collection(SshdCollection.Name)]
public sealed class ClientHardeningTests(SshdFixture sshd)
{
    private static string Echo(string id, string message) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"" + message + "\"}}}";

    private static async Task<RawMcpSsh> StartAsync(IEnumerable<string> args)
    {
        RawMcpSsh run = RawMcpSsh.Start(args);
        await run.WriteLineAsync(RawMcpSsh.Initialize);
        Assert.Equal(1, (await run.ReadResponseAsync()).GetProperty("id").GetInt32());
        await run.WriteLineAsync(RawMcpSsh.Initialized);
        return run;
    }

    private static void AssertInvalidRequest(JsonElement answer, string rawId)
    {
        Assert.Equal(rawId, answer.GetProperty("id").GetRawText());
        Assert.Equal(-32600, answer.GetProperty("error").GetProperty("code").GetInt32());
    }

    private static async Task AssertEchoAsync(RawMcpSsh run, int id)
    {
        await run.WriteLineAsync(Echo(id.ToString(System.Globalization.CultureInfo.InvariantCulture), "still here"));
        JsonElement answer = await run.ReadResponseAsync();
        Assert.Equal(id, answer.GetProperty("id").GetInt32());
        Assert.Equal("echo: still here", answer.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task LoneSurrogateIdAndMethod_AreAnsweredWithTheirId_AndLaterRequestsStillWork()
    {
        await using RawMcpSsh run = await StartAsync(McpSshRun.Args(sshd, sshd.TestServerKey));

        await run.WriteLineAsync(Echo("\"\\ud800\"", "lost"));
        AssertInvalidRequest(await run.ReadResponseAsync(), "\"\\ud800\"");
        await run.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"id\":\"ok\\udfff\",\"method\":\"tools/\\ud800\",\"params\":{}}");
        AssertInvalidRequest(await run.ReadResponseAsync(), "\"ok\\udfff\"");

        await AssertEchoAsync(run, 2);
        run.CloseStdin();
        Assert.Equal(0, await run.WaitForExitAsync());
        Assert.DoesNotContain("The host closed stdin; finishing with 1", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidIds_AreInvalidRequestWithNullId_AndNeverReachTheServer()
    {
        await using RawMcpSsh run = await StartAsync(McpSshRun.Args(sshd, sshd.TestServerKey));

        foreach (string id in new[] { "{\"x\":1}", "null", "true", "[1]" })
        {
            await run.WriteLineAsync(Echo(id, "never"));
            AssertInvalidRequest(await run.ReadResponseAsync(), "null");
        }

        await run.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":7}");
        AssertInvalidRequest(await run.ReadResponseAsync(), "null");

        // Had any been forwarded, the server's own answer (or error) would come before this one.
        await AssertEchoAsync(run, 4);
        run.CloseStdin();
        Assert.Equal(0, await run.WaitForExitAsync());
    }
}
