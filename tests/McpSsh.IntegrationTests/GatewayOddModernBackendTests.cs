using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests;

/// <summary>
/// A modern (2026-07-28) backend (merged with the test server, so the gateway bridges rather than relays) that answers oddly-typed members where the era bridge expects objects: each
/// costs the one message it concerns, the legacy host gets exactly one answer per request, and the gateway goes on.
/// </summary>
public sealed class GatewayOddModernBackendTests
{
    private static readonly string s_server = Path.Combine(TestPaths.RepoRoot, "tests", "McpSsh.IntegrationTests", "Fixtures", "odd-modern-server.js");

    private static async Task<RawMcpSsh> StartAsync(GatewayConfig config)
    {
        RawMcpSsh gateway = RawMcpSsh.Start(["gateway", "--servers-config", config.Path]);
        await gateway.WriteLineAsync(RawMcpSsh.Initialize);
        JsonElement init = await gateway.ReadResponseAsync();
        Assert.Equal(1, init.GetProperty("id").GetInt32());
        Assert.True(init.TryGetProperty("result", out _), init.GetRawText());
        await gateway.WriteLineAsync(RawMcpSsh.Initialized);
        return gateway;
    }

    private static async Task<string> CallGoodAsync(RawMcpSsh gateway, int id)
    {
        await gateway.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"id\":" + id.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + ",\"method\":\"tools/call\",\"params\":{\"name\":\"good\",\"arguments\":{}}}");
        JsonElement answer = await gateway.ReadResponseAsync();
        Assert.Equal(id, answer.GetProperty("id").GetInt32());
        return answer.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!;
    }

    [Fact]
    public async Task InputRequestThatIsNotAnObject_AnswersTheLegacyHostsCallWithAnError()
    {
        using GatewayConfig config = GatewayConfig.Write(("odd", (TestPaths.Node, [s_server, """{"tools":{}}"""])), ("test", GatewayConfig.TestServer));
        await using RawMcpSsh gateway = await StartAsync(config);

        await gateway.WriteLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"odd_input","arguments":{}}}""");
        JsonElement answer = await gateway.ReadResponseAsync();
        Assert.Equal(2, answer.GetProperty("id").GetInt32());
        Assert.True(answer.TryGetProperty("error", out _), answer.GetRawText());

        Assert.Equal("good", await CallGoodAsync(gateway, 3));
        gateway.CloseStdin();
        Assert.Equal(0, await gateway.WaitForExitAsync());
    }

    [Fact]
    public async Task CapabilityThatIsNotAnObject_DoesNotAnswerTheLegacyHostsInitializeTwice()
    {
        using GatewayConfig config = GatewayConfig.Write(("odd", (TestPaths.Node, [s_server, """{"tools":true,"prompts":"yes"}"""])), ("test", GatewayConfig.TestServer));
        await using RawMcpSsh gateway = await StartAsync(config);

        // The next answer the host reads must be the one to its next request, not a second answer to initialize.
        Assert.Equal("good", await CallGoodAsync(gateway, 2));
        gateway.CloseStdin();
        Assert.Equal(0, await gateway.WaitForExitAsync());
    }
}
