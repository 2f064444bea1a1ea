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

    [Fact]
    public async Task ListenIdReusedByTheHost_IsClosedWholeByOneCancel()
    {
        using GatewayConfig config = GatewayConfig.Write(("odd", (TestPaths.Node, [s_server, """{"tools":{"listChanged":true}}"""])), ("test", GatewayConfig.TestServer));
        await using RawMcpSsh gateway = RawMcpSsh.Start(["gateway", "--servers-config", config.Path]);
        const string envelope = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{}}";
        const string listen = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"subscriptions/listen\",\"params\":{" + envelope + ",\"notifications\":{\"toolsListChanged\":true}}}";

        // The same id twice (the host reuses an id still open), then one cancel for it.
        await gateway.WriteLineAsync(listen);
        await gateway.WriteLineAsync(listen);
        for (int acknowledged = 0; acknowledged < 2;)
        {
            acknowledged += (await gateway.ReadMessageAsync()).GetProperty("method").GetString() == "notifications/subscriptions/acknowledged" ? 1 : 0;
        }

        // A round trip through the backends: the listens the acknowledgements promised are open on them by now.
        await gateway.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\",\"params\":{" + envelope + "}}");
        Assert.Equal(4, (await gateway.ReadResponseAsync()).GetProperty("id").GetInt32());
        await gateway.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":5}}");
        await gateway.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{" + envelope + ",\"name\":\"changed\",\"arguments\":{}}}");

        // The backend writes list_changed for every listen still open before it answers: none may reach the host.
        while (true)
        {
            JsonElement message = await gateway.ReadMessageAsync();
            if (message.TryGetProperty("id", out JsonElement id) && !message.TryGetProperty("method", out _))
            {
                Assert.Equal(6, id.GetInt32());
                break;
            }

            Assert.NotEqual("notifications/tools/list_changed", message.GetProperty("method").GetString());
        }

        gateway.CloseStdin();
        Assert.Equal(0, await gateway.WaitForExitAsync());
    }

    [Fact]
    public async Task ListenCancelledBeforeTheGatewayAcknowledgedIt_NeverNotifies()
    {
        using GatewayConfig config = GatewayConfig.Write(("odd", (TestPaths.Node, [s_server, """{"tools":{"listChanged":true}}"""])), ("test", GatewayConfig.TestServer));
        await using RawMcpSsh gateway = RawMcpSsh.Start(["gateway", "--servers-config", config.Path]);
        const string envelope = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{}}";
        static string Listen(int id) => "{\"jsonrpc\":\"2.0\",\"id\":" + id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"method\":\"subscriptions/listen\",\"params\":{"
            + envelope + ",\"notifications\":{\"toolsListChanged\":true,\"resourceSubscriptions\":[\"nope://unknown\"]}}}";

        // Listen 7 waits for the backends (the first request) and a refresh (an unknown URI); the host cancels it meanwhile.
        await gateway.WriteLineAsync(Listen(7));
        await gateway.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":7}}");
        await gateway.WriteLineAsync(Listen(8));
        JsonElement ack = await gateway.ReadMessageAsync();
        while (ack.GetProperty("params").GetProperty("_meta").GetProperty("io.modelcontextprotocol/subscriptionId").GetInt32() != 8)
        {
            ack = await gateway.ReadMessageAsync();
        }

        await gateway.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{" + envelope + ",\"name\":\"changed\",\"arguments\":{}}}");
        int notified = 0;
        while (true)
        {
            JsonElement message = await gateway.ReadMessageAsync();
            if (message.TryGetProperty("id", out JsonElement id) && !message.TryGetProperty("method", out _))
            {
                Assert.Equal(9, id.GetInt32());
                break;
            }

            // Only the open listen 8 is notified; the cancelled 7 is neither acknowledged nor notified.
            Assert.Equal(8, message.GetProperty("params").GetProperty("_meta").GetProperty("io.modelcontextprotocol/subscriptionId").GetInt32());
            notified++;
        }

        Assert.Equal(1, notified);
        gateway.CloseStdin();
        Assert.Equal(0, await gateway.WaitForExitAsync());
    }
}
