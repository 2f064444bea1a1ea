using System.Text.Json.Nodes;
using McpSsh.JsonRpc;
using McpSsh.Resilience;
using McpSsh.Tests.Relay;
using Microsoft.Extensions.Logging.Abstractions;
using static McpSsh.Tests.Resilience.LinkHarness;

namespace McpSsh.Tests.Resilience;

/// <summary>Reconnecting a modern (2026-07-28) session with in-memory links: no handshake, open listens re-established.</summary>
public class ModernReconnectTests
{
    private const string Envelope = "\"_meta\":" + """{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}""";

    private static string Listen(string id, string filter) =>
        """{"jsonrpc":"2.0","id":""" + id + ""","method":"subscriptions/listen","params":{"notifications":""" + filter + "," + Envelope + "}}";

    /// <summary>A notification stamped with a listen's id; <paramref name="extra"/> is other params members, each followed by a comma.</summary>
    private static string Stamped(string method, string id, string extra = "") =>
        """{"jsonrpc":"2.0","method":""" + "\"" + method + "\"" + ""","params":{""" + extra + "\"_meta\":" + """{"io.modelcontextprotocol/subscriptionId":""" + id + "}}}";

    private static string Call(int id) => """{"jsonrpc":"2.0","id":""" + id + ""","method":"tools/call","params":{"name":"slow",""" + Envelope + "}}";

    private static ResilientChannel Create(InMemoryChannel first, LinkConnector connector, ResilienceOptions? options = null) =>
        Delivering(new(first, connector.ConnectAsync, options ?? new ResilienceOptions { Keepalive = TimeSpan.Zero, Endpoint = "host:22" }, NullLogger.Instance));

    private static void AssertStamped(string line, string method, string id)
    {
        JsonNode notification = JsonNode.Parse(line)!;
        Assert.Equal(method, notification["method"]!.GetValue<string>());
        Assert.Equal(id, notification["params"]![McpMetaKeys.Meta]![McpMetaKeys.SubscriptionId]!.ToJsonString());
        Assert.Null(notification["id"]);
    }

    [Fact]
    public async Task LostLink_KeepsTheHostsListenOpen_ReSendsItUnderTheHostsId_SwallowsTheNewAck_AndStampsTheRelist()
    {
        var connector = new LinkConnector();
        var first = new InMemoryChannel(canHalfClose: false);
        ResilientChannel channel = Create(first, connector);
        string listen = Listen("\"listen:0\"", """{"toolsListChanged":true,"promptsListChanged":true,"resourceSubscriptions":["res://static"]}""");
        Send(channel, listen);
        Assert.Equal(listen, await first.NextSentAsync());
        string ack = Stamped(McpMethods.SubscriptionsAcknowledged, "\"listen:0\"", "\"notifications\":" + """{"toolsListChanged":true,"promptsListChanged":true,"resourceSubscriptions":["res://static"]},""");
        await first.RemoteWritesAsync(ack + "\n");
        Assert.Equal(ack, await NextLineAsync(channel.Output)); // the host's own acknowledgement reaches it
        Send(channel, Call(1));
        await first.NextSentAsync();

        first.RemoteEnds();
        JsonNode error = JsonNode.Parse(await NextLineAsync(channel.Output))!;
        Assert.Equal(1, error["id"]!.GetValue<int>()); // the ordinary call fails at once, as in a legacy session
        Assert.Equal((int)JsonRpcErrorCode.ConnectionClosed, error["error"]!["code"]!.GetValue<int>());

        var second = new InMemoryChannel(canHalfClose: false);
        connector.Succeed(second);
        Assert.Equal(listen, await second.NextSentAsync()); // byte for byte, under the host's id: no handshake before it
        await second.RemoteWritesAsync(ack + "\n");

        // The host is told to re-list, stamped with its listen's id, for each kind the listen asked for; the
        // server's new acknowledgement never reaches it.
        AssertStamped(await NextLineAsync(channel.Output), McpMethods.ToolsListChanged, "\"listen:0\"");
        AssertStamped(await NextLineAsync(channel.Output), McpMethods.PromptsListChanged, "\"listen:0\"");
        string updated = Stamped(McpMethods.ResourceUpdated, "\"listen:0\"", "\"uri\":\"res://static\",");
        await second.RemoteWritesAsync(updated + "\n");
        Assert.Equal(updated, await NextLineAsync(channel.Output));
        Assert.True(channel.Replay.Listens.IsOpen("\"listen:0\""));

        // The listen's final answer is the host's, and ends it.
        string end = """{"jsonrpc":"2.0","id":"listen:0","result":{"resultType":"complete"}}""";
        await second.RemoteWritesAsync(end + "\n");
        Assert.Equal(end, await NextLineAsync(channel.Output));
        Assert.False(channel.Replay.Listens.IsOpen("\"listen:0\""));
        Assert.Equal(1, connector.Attempts);
        await channel.DisposeAsync();
    }

    [Fact]
    public async Task WhileDisconnected_ACancelledListenIsNotReSent_ANewListenWaits_ARefusedReplayReachesTheHost()
    {
        var connector = new LinkConnector();
        var first = new InMemoryChannel(canHalfClose: false);
        ResilientChannel channel = Create(first, connector);
        Send(channel, Listen("\"a\"", """{"toolsListChanged":true}"""));
        Send(channel, Listen("7", """{"promptsListChanged":true}"""));
        Send(channel, Listen("8", """{"resourcesListChanged":true}"""));
        for (int i = 0; i < 3; i++)
        {
            await first.NextSentAsync();
        }

        first.RemoteEnds();
        await connector.AttemptedAsync(1);
        Assert.False(HasLine(channel.Output)); // no listen was failed

        // While disconnected: the host ends "a" and opens "b".
        string cancel = """{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"a"}}""";
        Send(channel, cancel);
        string listenB = Listen("\"b\"", """{"toolsListChanged":true}""");
        Send(channel, listenB);

        var second = new InMemoryChannel(canHalfClose: false);
        connector.Succeed(second);
        Assert.Equal(Listen("7", """{"promptsListChanged":true}"""), await second.NextSentAsync());
        string refused = """{"jsonrpc":"2.0","id":7,"error":{"code":-32603,"message":"Subscription limit reached"}}""";
        await second.RemoteWritesAsync(refused + "\n");
        Assert.Equal(Listen("8", """{"resourcesListChanged":true}"""), await second.NextSentAsync());
        await second.RemoteWritesAsync(Stamped(McpMethods.SubscriptionsAcknowledged, "8", "\"notifications\":{\"resourcesListChanged\":true},") + "\n");

        // The server's refusal is the host's answer for 7; only 8 (re-sent) is told to re-list; "b" was never
        // acknowledged, so it goes out as the host sent it, after the host's cancel of "a".
        Assert.Equal(refused, await NextLineAsync(channel.Output));
        AssertStamped(await NextLineAsync(channel.Output), McpMethods.ResourcesListChanged, "8");
        Assert.Equal(cancel, await second.NextSentAsync());
        Assert.Equal(listenB, await second.NextSentAsync());
        string ackB = Stamped(McpMethods.SubscriptionsAcknowledged, "\"b\"", "\"notifications\":{\"toolsListChanged\":true},");
        await second.RemoteWritesAsync(ackB + "\n");
        Assert.Equal(ackB, await NextLineAsync(channel.Output)); // its first acknowledgement: the host's
        Assert.Equal(["8", "\"b\""], channel.Replay.Listens.Snapshot().Select(l => l.Id));
        await channel.DisposeAsync();
    }

    [Fact]
    public async Task Keepalive_InAModernSession_ProbesWithDiscoverAndTheHostsEnvelope_AndAnErrorAnswerKeepsTheLink()
    {
        var connector = new LinkConnector();
        var first = new InMemoryChannel(canHalfClose: false);
        ResilientChannel channel = Create(first, connector, new ResilienceOptions { Keepalive = TimeSpan.FromMilliseconds(50), KeepaliveCountMax = 3, Endpoint = "host:22" });
        Send(channel, """{"jsonrpc":"2.0","id":0,"method":"tools/list","params":{""" + Envelope + "}}");
        Assert.Contains("tools/list", await first.NextSentAsync());
        await first.RemoteWritesAsync("""{"jsonrpc":"2.0","id":0,"result":{"tools":[]}}""" + "\n");
        await NextLineAsync(channel.Output);

        for (int i = 0; i < 4; i++)
        {
            JsonNode probe = JsonNode.Parse(await first.NextSentAsync())!;
            Assert.Equal(McpMethods.Discover, probe["method"]!.GetValue<string>());
            Assert.StartsWith(SessionReplay.PrivateIdPrefix, probe["id"]!.GetValue<string>());
            Assert.Equal(McpProtocolVersions.Modern, probe["params"]![McpMetaKeys.Meta]![McpMetaKeys.ProtocolVersion]!.GetValue<string>());
            // Any answer proves the link alive, an error too (a server that would not know the method).
            await first.RemoteWritesAsync($$$"""{"jsonrpc":"2.0","id":{{{probe["id"]!.ToJsonString()}}},"error":{"code":-32601,"message":"Method not found"}}""" + "\n");
        }

        Assert.Equal(0, connector.Attempts);
        Assert.False(HasLine(channel.Output)); // the probes' answers are the relay's own
        await channel.DisposeAsync();
    }
}
