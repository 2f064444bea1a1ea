using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;
using McpSsh.Resilience;

namespace McpSsh.Tests.Resilience;

public class BackoffAndReplayTests
{
    [Fact]
    public void Backoff_DoublesFromHalfASecond_CapsAtThirty_WithTwentyPercentJitter()
    {
        Assert.Equal(TimeSpan.FromSeconds(0.4), Backoff.Delay(0, 0));
        Assert.Equal(TimeSpan.FromSeconds(0.5), Backoff.Delay(0, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(1), Backoff.Delay(1, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(16), Backoff.Delay(5, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(30), Backoff.Delay(6, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(30), Backoff.Delay(1000, 0.99));
        Assert.Equal(TimeSpan.FromSeconds(24), Backoff.Delay(1000, 0));
    }

    private static void Host(SessionReplay replay, string json)
    {
        var frame = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json));
        replay.OnHostFrame(FrameInspector.Inspect(frame, captureMethod: true).Info, frame);
    }

    private static void Remote(SessionReplay replay, string json)
    {
        var frame = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json));
        replay.OnRemoteFrame(FrameInspector.Inspect(frame).Info, frame);
    }

    [Fact]
    public void Replay_InitializeInitializedLastSetLevelAndActiveSubscriptions_UnderPrivateIds()
    {
        var replay = new SessionReplay();
        Assert.Empty(replay.Frames());

        Host(replay, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{"roots":{}},"clientInfo":{"name":"h","version":"1"}}}""");
        Remote(replay, """{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{},"resources":{"subscribe":true}}}}""");
        Host(replay, """{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        Host(replay, """{"jsonrpc":"2.0","id":2,"method":"logging/setLevel","params":{"level":"info"}}""");
        Host(replay, """{"jsonrpc":"2.0","id":3,"method":"logging/setLevel","params":{"level":"debug"}}""");
        Host(replay, """{"jsonrpc":"2.0","id":4,"method":"resources/subscribe","params":{"uri":"test://a"}}""");
        Host(replay, """{"jsonrpc":"2.0","id":5,"method":"resources/subscribe","params":{"uri":"test://b"}}""");
        Host(replay, """{"jsonrpc":"2.0","id":6,"method":"resources/unsubscribe","params":{"uri":"test://a"}}""");

        var frames = replay.Frames();
        Assert.Equal(["initialize", "notifications/initialized", "logging/setLevel", "resources/subscribe test://b"], frames.Select(f => f.What));
        foreach ((string? id, byte[] frame, string what) in frames)
        {
            JsonObject message = (JsonObject)JsonNode.Parse(frame)!;
            if (id is null)
            {
                Assert.False(message.ContainsKey("id"));
                continue;
            }

            Assert.True(SessionReplay.IsPrivateId(id), id);
            Assert.Equal(id, message["id"]!.ToJsonString());
        }

        Assert.Equal("debug", JsonNode.Parse(frames[2].Frame)!["params"]!["level"]!.GetValue<string>());
        Assert.Equal("h", JsonNode.Parse(frames[0].Frame)!["params"]!["clientInfo"]!["name"]!.GetValue<string>());

        // Re-list what the server declared: tools and resources, not prompts.
        Assert.Equal(["""{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}""", """{"jsonrpc":"2.0","method":"notifications/resources/list_changed"}"""],
            replay.ListChangedNotifications().Select(Encoding.UTF8.GetString));

        Assert.Null(replay.DescribeChange(JsonNode.Parse("""{"protocolVersion":"2025-06-18","capabilities":{"tools":{},"resources":{"subscribe":true}}}""") as JsonObject));
        Assert.Equal("protocol version \"2025-06-18\" -> \"2025-11-25\"; capabilities {\"tools\":{},\"resources\":{\"subscribe\":true}} -> {\"tools\":{}}",
            replay.DescribeChange(JsonNode.Parse("""{"protocolVersion":"2025-11-25","capabilities":{"tools":{}}}""") as JsonObject));
    }

    [Fact]
    public void PrivateIds_AreRecognised_HostIdsAreNot()
    {
        var replay = new SessionReplay();
        Assert.True(SessionReplay.IsPrivateId(replay.NewPrivateId("keepalive")));
        Assert.False(SessionReplay.IsPrivateId("1"));
        Assert.False(SessionReplay.IsPrivateId("\"abc\""));
        Assert.False(SessionReplay.IsPrivateId(null));
    }
}
