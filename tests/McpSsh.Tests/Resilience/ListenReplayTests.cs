using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;
using McpSsh.Resilience;

namespace McpSsh.Tests.Resilience;

/// <summary>The bookkeeping of a modern (2026-07-28) session for reconnects: open listens, re-list hints, the keepalive probe.</summary>
public class ListenReplayTests
{
    private const string Envelope = "\"_meta\":" + """{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"elicitation":{"form":{}}},"io.modelcontextprotocol/clientInfo":{"name":"h","version":"2"},"progressToken":"p1"}""";

    private static string Listen(string id, string filter) =>
        """{"jsonrpc":"2.0","id":""" + id + ""","method":"subscriptions/listen","params":{"notifications":""" + filter + "," + Envelope + "}}";

    private static void Host(SessionReplay replay, string json)
    {
        var frame = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json));
        FrameInspection inspection = FrameInspector.Inspect(frame, captureMethod: true);
        Assert.True(inspection.IsValid, json);
        replay.OnHostFrame(inspection.Info, frame);
    }

    private static void Remote(SessionReplay replay, string json)
    {
        var frame = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json));
        replay.OnRemoteFrame(FrameInspector.Inspect(frame, captureMethod: true).Info, frame);
    }

    [Fact]
    public void Listens_OpenWithTheHostsRequest_CloseWithAResultAnErrorOrTheHostsCancel_StringAndNumberIds()
    {
        var replay = new SessionReplay();
        Host(replay, Listen("\"listen:0\"", """{"toolsListChanged":true}"""));
        Host(replay, Listen("7", """{"promptsListChanged":true}"""));
        Host(replay, Listen("\"\\u006c\"", """{"resourcesListChanged":true}""")); // "l", spelt with an escape
        Host(replay, Listen("\"gone\"", "{}"));
        Host(replay, """{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"x"}}""");
        Assert.Equal(["\"listen:0\"", "7", "\"l\"", "\"gone\""], replay.Listens.Snapshot().Select(l => l.Id));
        Assert.False(replay.Listens.IsOpen("8"));

        Remote(replay, """{"jsonrpc":"2.0","id":8,"result":{"content":[]}}"""); // an ordinary answer ends no listen
        Remote(replay, """{"jsonrpc":"2.0","id":"gone","result":{"resultType":"complete"}}"""); // the server ended it
        Remote(replay, """{"jsonrpc":"2.0","id":7,"error":{"code":-32603,"message":"Subscription limit reached"}}"""); // refused
        Host(replay, """{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"l","reason":"done"}}""");
        Assert.Equal(["\"listen:0\""], replay.Listens.Snapshot().Select(l => l.Id));

        // The frame kept is the host's, byte for byte (re-sent as it was, under the host's id).
        Assert.Equal(Listen("\"listen:0\"", """{"toolsListChanged":true}"""), Encoding.UTF8.GetString(replay.Listens.Snapshot()[0].Frame));
        Host(replay, """{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"listen:0"}}""");
        Assert.Empty(replay.Listens.Snapshot());
    }

    [Fact]
    public void ListChanged_InAModernSession_IsOnePerKindEachOpenListenAskedFor_StampedWithItsId()
    {
        var replay = new SessionReplay();
        Host(replay, Listen("\"listen:0\"", """{"toolsListChanged":true,"promptsListChanged":false,"resourceSubscriptions":["res://a"]}"""));
        Host(replay, Listen("12", """{"promptsListChanged":true,"resourcesListChanged":true,"bogus":true}"""));
        Host(replay, Listen("\"quiet\"", """{"resourceSubscriptions":["res://a"]}"""));

        List<JsonNode> sent = [.. replay.ListChangedNotifications().Select(n => JsonNode.Parse(n)!)];
        Assert.Equal(
            [(McpMethods.ToolsListChanged, "\"listen:0\""), (McpMethods.PromptsListChanged, "12"), (McpMethods.ResourcesListChanged, "12")],
            sent.Select(n => (n["method"]!.GetValue<string>(), n["params"]![McpMetaKeys.Meta]![McpMetaKeys.SubscriptionId]!.ToJsonString())));
        foreach (JsonNode notification in sent)
        {
            Assert.Equal("2.0", notification["jsonrpc"]!.GetValue<string>());
            Assert.Null(notification["id"]);
            Assert.Single(notification["params"]!.AsObject()); // only _meta
            Assert.Single(notification["params"]![McpMetaKeys.Meta]!.AsObject()); // only the subscription id
        }
    }

    [Fact]
    public void ListChanged_InALegacySession_StaysUnstamped()
    {
        var replay = new SessionReplay();
        Host(replay, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"h","version":"1"}}}""");
        Remote(replay, """{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","capabilities":{"prompts":{}}}}""");
        Assert.Equal(["""{"jsonrpc":"2.0","method":"notifications/prompts/list_changed"}"""], replay.ListChangedNotifications().Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public void SubscriptionId_IsReadFromTheStamp_InTheSpellingOfRequestIds()
    {
        static string? Of(string json) => OpenListens.SubscriptionIdOf(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)));

        Assert.Equal("\"L1\"", Of("""{"jsonrpc":"2.0","method":"notifications/subscriptions/acknowledged","params":{"notifications":{},"_meta":{"io.modelcontextprotocol/subscriptionId":"L1"}}}"""));
        Assert.Equal("\"l\"", Of("""{"jsonrpc":"2.0","method":"notifications/tools/list_changed","params":{"_meta":{"io.modelcontextprotocol/subscriptionId":"\u006c"}}}"""));
        Assert.Equal("7", Of("""{"jsonrpc":"2.0","method":"notifications/tools/list_changed","params":{"_meta":{"io.modelcontextprotocol/subscriptionId":7}}}"""));
        Assert.Null(Of("""{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}"""));
        Assert.Null(Of("""{"jsonrpc":"2.0","method":"notifications/tools/list_changed","params":{"_meta":{"io.modelcontextprotocol/subscriptionId":{}}}}"""));
    }

    [Fact]
    public void KeepaliveProbe_IsPingUntilTheHostShowsTheModernEra_ThenDiscoverWithItsEnvelope()
    {
        var replay = new SessionReplay();
        JsonNode unknown = JsonNode.Parse(replay.KeepaliveProbe("\"mcp-ssh.internal:keepalive:1\""))!;
        Assert.Equal(SessionEra.Unknown, replay.Era);
        Assert.Equal(McpMethods.Ping, unknown["method"]!.GetValue<string>());
        Assert.Equal("mcp-ssh.internal:keepalive:1", unknown["id"]!.GetValue<string>());
        Assert.Null(unknown["params"]);

        Host(replay, """{"jsonrpc":"2.0","id":0,"method":"tools/list","params":{""" + Envelope + "}}");
        Assert.Equal(SessionEra.Modern, replay.Era);
        JsonNode modern = JsonNode.Parse(replay.KeepaliveProbe("\"mcp-ssh.internal:keepalive:2\""))!;
        Assert.Equal(McpMethods.Discover, modern["method"]!.GetValue<string>());
        Assert.Equal("mcp-ssh.internal:keepalive:2", modern["id"]!.GetValue<string>());
        // The envelope's keys, and only those: no progress token or log level of the request it came from.
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"elicitation":{"form":{}}},"io.modelcontextprotocol/clientInfo":{"name":"h","version":"2"}}"""),
            modern["params"]![McpMetaKeys.Meta]));
    }

    [Fact]
    public void KeepaliveProbe_IsPing_ForAHostThatProbedWithDiscoverThenInitialized()
    {
        // The C# SDK probes in place: server/discover with the envelope, then initialize when the server is legacy-only.
        var replay = new SessionReplay();
        Host(replay, """{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{""" + Envelope + "}}");
        Host(replay, """{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"h","version":"1"}}}""");
        Assert.Equal(SessionEra.Legacy, replay.Era);
        Assert.Equal(McpMethods.Ping, JsonNode.Parse(replay.KeepaliveProbe("\"mcp-ssh.internal:keepalive:3\""))!["method"]!.GetValue<string>());
    }
}
