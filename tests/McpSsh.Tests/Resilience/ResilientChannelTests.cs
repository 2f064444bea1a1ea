using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using McpSsh.Framing;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using McpSsh.Resilience;
using McpSsh.Tests.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Resilience;

/// <summary>The reconnect logic with in-memory links: the test plays each remote server and the connector.</summary>
public class ResilientChannelTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"h","version":"1"}}}""";

    private static void Send(ResilientChannel channel, string json) => LinkHarness.Send(channel, json); // then EndOfBurst, as the relay's reader does

    /// <summary>Several frames as one read of the host's input would bring them.</summary>
    private static void SendBurst(ResilientChannel channel, params string[] frames)
    {
        foreach (string json in frames)
        {
            var frame = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json));
            FrameInfo info = FrameInspector.Inspect(frame, captureMethod: true).Info;
            LinkHarness.NoteInFlight(channel, info);
            channel.SendFrame(frame, info);
        }

        channel.EndOfBurst();
    }

    /// <summary>A first link with the host's session initialized on it.</summary>
    private static async Task<(ResilientChannel Channel, InMemoryChannel First)> InitializedAsync(LinkConnector connector, ResilienceOptions? options = null)
    {
        var first = new InMemoryChannel(canHalfClose: false);
        ResilientChannel channel = LinkHarness.Delivering(new ResilientChannel(first, connector.ConnectAsync, options ?? new ResilienceOptions { Keepalive = TimeSpan.Zero, Endpoint = "host:22" }, NullLogger.Instance));
        Send(channel, Initialize);
        Assert.Equal(Initialize, await first.NextSentAsync());
        await first.RemoteWritesAsync("""{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{"listChanged":true}},"serverInfo":{"name":"s","version":"1"}}}""" + "\n");
        Assert.Contains("\"serverInfo\"", await LinkHarness.NextLineAsync(channel.Output));
        Send(channel, """{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        await first.NextSentAsync();
        return (channel, first);
    }

    [Fact]
    public async Task LostLink_FailsWhatWasSentAtOnce_ReplaysTheSession_TellsTheHostToRelist_ThenSendsWhatWaited()
    {
        var connector = new LinkConnector();
        (ResilientChannel channel, InMemoryChannel first) = await InitializedAsync(connector);
        Send(channel, """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"slow"}}""");
        await first.NextSentAsync();

        first.RemoteEnds();
        JsonNode error = JsonNode.Parse(await LinkHarness.NextLineAsync(channel.Output))!;
        Assert.Equal(2, error["id"]!.GetValue<int>());
        Assert.Equal(-32000, error["error"]!["code"]!.GetValue<int>());
        Assert.Equal("connection to host:22 lost: test remote closed. mcp-ssh is reconnecting; retry the request", error["error"]!["message"]!.GetValue<string>());

        // A request while disconnected waits; a notification is dropped.
        Send(channel, """{"jsonrpc":"2.0","id":3,"method":"tools/list"}""");
        Send(channel, """{"jsonrpc":"2.0","method":"notifications/roots/list_changed"}""");

        var second = new InMemoryChannel(canHalfClose: false);
        connector.Succeed(second);
        JsonNode replayedInit = JsonNode.Parse(await second.NextSentAsync())!;
        Assert.Equal("initialize", replayedInit["method"]!.GetValue<string>());
        Assert.StartsWith(SessionReplay.PrivateIdPrefix, replayedInit["id"]!.GetValue<string>());
        await second.RemoteWritesAsync("""{"jsonrpc":"2.0","id":""" + replayedInit["id"]!.ToJsonString() + ""","result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{"listChanged":true}}}}""" + "\n");
        Assert.Equal("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", await second.NextSentAsync());

        // The host re-lists; the waiting request goes out on the new link and its answer comes back.
        Assert.Equal("""{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}""", await LinkHarness.NextLineAsync(channel.Output));
        Assert.Equal("""{"jsonrpc":"2.0","id":3,"method":"tools/list"}""", await second.NextSentAsync());
        await second.RemoteWritesAsync("""{"jsonrpc":"2.0","id":3,"result":{"tools":[]}}""" + "\n");
        Assert.Equal("""{"jsonrpc":"2.0","id":3,"result":{"tools":[]}}""", await LinkHarness.NextLineAsync(channel.Output));
        Assert.Equal(1, connector.Attempts);
    }

    [Fact]
    public async Task SilentLink_IsDeclaredDeadAfterUnansweredProbes()
    {
        var connector = new LinkConnector();
        var options = new ResilienceOptions { Keepalive = TimeSpan.FromMilliseconds(100), KeepaliveCountMax = 2, Endpoint = "host:22" };
        (ResilientChannel channel, InMemoryChannel first) = await InitializedAsync(connector, options);
        Send(channel, """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"slow"}}""");
        await first.NextSentAsync();

        // Two pings with private ids, never answered: then the call in flight fails, naming the cause.
        for (int i = 0; i < 2; i++)
        {
            JsonNode ping = JsonNode.Parse(await first.NextSentAsync())!;
            Assert.Equal("ping", ping["method"]!.GetValue<string>());
            Assert.StartsWith(SessionReplay.PrivateIdPrefix, ping["id"]!.GetValue<string>());
        }

        JsonNode error = JsonNode.Parse(await LinkHarness.NextLineAsync(channel.Output))!;
        Assert.Equal(2, error["id"]!.GetValue<int>());
        Assert.Contains("no answer to 2 keepalive probe(s)", error["error"]!["message"]!.GetValue<string>());
        await channel.DisposeAsync();
    }

    [Fact]
    public async Task AnsweredProbes_AreSwallowed_AndKeepTheLink()
    {
        var connector = new LinkConnector();
        // Room for three unanswered ticks: on a busy 2-core machine an answer can take longer than one 50 ms tick.
        var options = new ResilienceOptions { Keepalive = TimeSpan.FromMilliseconds(50), KeepaliveCountMax = 3, Endpoint = "host:22" };
        (ResilientChannel channel, InMemoryChannel first) = await InitializedAsync(connector, options);
        for (int i = 0; i < 3; i++)
        {
            JsonNode ping = JsonNode.Parse(await first.NextSentAsync())!;
            if (ping["id"] is null)
            {
                // On a slow first run a probe can go out before the host's initialized, which setup then took for it.
                Assert.Equal("notifications/initialized", ping["method"]!.GetValue<string>());
                i--;
                continue;
            }

            await first.RemoteWritesAsync($$$"""{"jsonrpc":"2.0","id":{{{ping["id"]!.ToJsonString()}}},"result":{}}""" + "\n");
        }

        // A far end that echoes (cat) sends the probe itself back: that is the relay's own too.
        JsonNode echoed = JsonNode.Parse(await first.NextSentAsync())!;
        await first.RemoteWritesAsync(echoed.ToJsonString() + "\n");
        await first.RemoteWritesAsync("""{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x"}}""" + "\n");
        Assert.Contains("notifications/message", await LinkHarness.NextLineAsync(channel.Output)); // no ping answer came before it
        Assert.Equal(0, connector.Attempts);
        await channel.DisposeAsync();
    }

    [Fact]
    public async Task NoReconnect_EndsTheOutputWithTheLinksReason()
    {
        var connector = new LinkConnector();
        (ResilientChannel channel, InMemoryChannel first) = await InitializedAsync(connector, new ResilienceOptions { Keepalive = TimeSpan.Zero, Reconnect = false });
        first.CloseReason = "remote command exited with status 3";
        first.RemoteEnds();

        ReadResult end = await channel.Output.ReadAsync().AsTask().WaitAsync(s_wait);
        Assert.True(end.IsCompleted);
        Assert.Equal("remote command exited with status 3", channel.CloseReason);
        Assert.Equal(0, connector.Attempts);
    }

    [Fact]
    public async Task RequestWhileDisconnected_GetsAnErrorAfterTheWait_AndAFatalConnectFailureEndsTheSession()
    {
        var connector = new LinkConnector();
        var options = new ResilienceOptions { Keepalive = TimeSpan.Zero, ReconnectWait = TimeSpan.FromMilliseconds(100), Endpoint = "host:22", StopsReconnecting = ex => ex is InvalidDataException };
        (ResilientChannel channel, InMemoryChannel first) = await InitializedAsync(connector, options);
        Send(channel, """{"jsonrpc":"2.0","id":"sent","method":"tools/list"}""");
        await first.NextSentAsync();
        first.RemoteEnds();
        Assert.Contains("\"sent\"", await LinkHarness.NextLineAsync(channel.Output)); // the loss is known from here on
        Send(channel, """{"jsonrpc":"2.0","id":"w","method":"tools/list"}""");

        JsonNode error = JsonNode.Parse(await LinkHarness.NextLineAsync(channel.Output))!;
        Assert.Equal("w", error["id"]!.GetValue<string>());
        Assert.StartsWith("not connected to host:22 for 0 s (lost: test remote closed); the request was not sent", error["error"]!["message"]!.GetValue<string>());

        connector.Fail(new IOException("connection refused")); // retried
        connector.Fail(new InvalidDataException("HOST KEY CHANGED")); // not retried
        ReadResult end = await channel.Output.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(end.IsCompleted);
        Assert.IsType<InvalidDataException>(channel.StopFailure);
        Assert.Equal(2, connector.Attempts);
    }

    [Fact]
    public async Task FramesQueuedBehindABlockedWrite_GoOutTogether_InOrder()
    {
        var connector = new LinkConnector();
        (ResilientChannel channel, InMemoryChannel first) = await InitializedAsync(connector);
        while (first.WriteStarted.Wait(0))
        {
            // the initialize and initialized writes are done
        }

        first.WriteGate = new SemaphoreSlim(0);
        int before = first.Writes;
        // A small frame to an idle link is written on the sender's thread, which stays in that write for now.
        Task sending = Task.Run(() => Send(channel, """{"jsonrpc":"2.0","id":2,"method":"tools/list"}"""));
        Assert.True(await first.WriteStarted.WaitAsync(s_wait));
        Send(channel, """{"jsonrpc":"2.0","id":3,"method":"tools/list"}""");
        Send(channel, """{"jsonrpc":"2.0","id":4,"method":"tools/list"}""");
        first.WriteGate.Release(3);
        await sending.WaitAsync(s_wait);

        Assert.Equal("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""", await first.NextSentAsync());
        Assert.Equal("""{"jsonrpc":"2.0","id":3,"method":"tools/list"}""", await first.NextSentAsync());
        Assert.Equal("""{"jsonrpc":"2.0","id":4,"method":"tools/list"}""", await first.NextSentAsync());
        Assert.Equal(before + 2, first.Writes); // one write for 2, one for 3 and 4 together

        // Frames read together from the host go out in one write too, without a wait for the writer thread.
        SendBurst(channel, """{"jsonrpc":"2.0","id":5,"method":"tools/list"}""", """{"jsonrpc":"2.0","id":6,"method":"tools/list"}""");
        Assert.Equal("""{"jsonrpc":"2.0","id":5,"method":"tools/list"}""", await first.NextSentAsync());
        Assert.Equal("""{"jsonrpc":"2.0","id":6,"method":"tools/list"}""", await first.NextSentAsync());
        Assert.Equal(before + 3, first.Writes);
        await channel.DisposeAsync();
    }

    [Fact]
    public async Task DeliverOutput_ReadsNothingBeforeTheRelayAsks_ThenPushesEachFrameWithItsInspection_UntilTheOutputEnds()
    {
        var first = new InMemoryChannel(canHalfClose: false);
        var channel = new ResilientChannel(first, new LinkConnector().ConnectAsync, new ResilienceOptions { Keepalive = TimeSpan.Zero, Reconnect = false, Endpoint = "host:22" }, NullLogger.Instance);
        await first.RemoteWritesAsync("""{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"early"}}""" + "\n");
        Assert.False(first.Delivering); // the link's output is not read until the relay asks: nothing needs buffering

        var host = new HostLines();
        Task<bool> done = host.Take(channel);
        Assert.True(first.Delivering);

        // What the far end wrote before comes first, checked once by the link and handed on as it is.
        Assert.Equal("""Notification notifications/message True | {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"early"}}""",
            await host.Seen.Reader.ReadAsync().AsTask().WaitAsync(s_wait));

        Send(channel, """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""");
        await first.NextSentAsync();
        await first.RemoteWritesAsync("""{"jsonrpc":"2.0","id":2,"result":{"tools":[]}}""" + "\nnot json\n");
        Assert.Equal("""Response 2 True | {"jsonrpc":"2.0","id":2,"result":{"tools":[]}}""", await host.Seen.Reader.ReadAsync().AsTask().WaitAsync(s_wait));
        Assert.Equal("Other  False | not json", await host.Seen.Reader.ReadAsync().AsTask().WaitAsync(s_wait)); // the relay drops it, knowing why
        Assert.True(Volatile.Read(ref host.Bursts) >= 2);

        first.RemoteEnds();
        Assert.True(await done.WaitAsync(s_wait));
    }

    [Fact]
    public async Task DeliverOutput_StopsWhenTheReceiverSaysTheHostIsGone()
    {
        var first = new InMemoryChannel(canHalfClose: false);
        var channel = new ResilientChannel(first, new LinkConnector().ConnectAsync, new ResilienceOptions { Keepalive = TimeSpan.Zero, Endpoint = "host:22" }, NullLogger.Instance);
        var host = new HostLines { Accepting = false };
        Task<bool> done = host.Take(channel);

        await first.RemoteWritesAsync("""{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}""" + "\n");
        Assert.False(await done.WaitAsync(s_wait));
        await first.RemoteWritesAsync("""{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}""" + "\n");
        Send(channel, """{"jsonrpc":"2.0","id":9,"method":"ping"}"""); // round trip through the link: the second frame was read by now
        await first.NextSentAsync();
        await first.RemoteWritesAsync("""{"jsonrpc":"2.0","id":9,"result":{}}""" + "\n");
        await channel.DisposeAsync();
        Assert.Equal(1, Volatile.Read(ref host.Frames));
    }

    [Fact]
    public async Task AHostWriteStuckOnALostLink_EndsTheSessionWithAnError_InsteadOfHangingTheHostInput()
    {
        var connector = new LinkConnector();
        var options = new ResilienceOptions { Keepalive = TimeSpan.Zero, StuckWriteLimit = TimeSpan.FromMilliseconds(300), Endpoint = "host:22" };
        (ResilientChannel channel, InMemoryChannel first) = await InitializedAsync(connector, options);
        while (first.WriteStarted.Wait(0))
        {
            // the initialize and initialized writes are done
        }

        // A small frame on a link that answered recently is written on the sender's thread; here it never returns.
        first.WriteGate = new SemaphoreSlim(0);
        Task sending = Task.Run(() => Send(channel, """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"slow"}}"""));
        Assert.True(await first.WriteStarted.WaitAsync(s_wait));
        Assert.False(sending.IsCompleted);

        first.RemoteEnds();
        JsonNode error = JsonNode.Parse(await LinkHarness.NextLineAsync(channel.Output))!;
        Assert.Equal(2, error["id"]!.GetValue<int>());
        ReadResult end = await channel.Output.ReadAsync().AsTask().WaitAsync(s_wait);
        Assert.True(end.IsCompleted);
        Assert.Matches("^a write to the lost connection to host:22 has been blocked for [0-9]+ s and holds the host's input; restart the session$", channel.CloseReason);
        Assert.IsType<IOException>(channel.StopFailure);

        first.WriteGate.Release();
        await sending.WaitAsync(s_wait);
    }
}
