using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;
using McpSsh.Resilience;
using McpSsh.Tests.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Resilience;

/// <summary>Issue 16: a host line sent in parts through the resilient channel, with the link there, lost mid-line, or down.</summary>
public class ResilientChannelStreamedTests
{
    private static readonly FrameInfo s_request = new(FrameKind.Request, "7", "tools/call", null);

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    private static (ResilientChannel Channel, InMemoryChannel First, LinkConnector Connector) Start()
    {
        var connector = new LinkConnector();
        var first = new InMemoryChannel(canHalfClose: false) { TakesParts = true };
        ResilientChannel channel = LinkHarness.Delivering(new ResilientChannel(first, connector.ConnectAsync, new ResilienceOptions { Keepalive = TimeSpan.Zero, Endpoint = "host:22" }, NullLogger.Instance));
        return (channel, first, connector);
    }

    [Fact]
    public async Task PartsOnALiveLink_ArriveAsOneLine_AndTheRequestIsFailedWithTheLink()
    {
        (ResilientChannel channel, InMemoryChannel first, _) = Start();
        Assert.True(channel.CanSendParts);
        channel.SendPart(Bytes("{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"d\":\"aaa"));
        channel.SendPart(Bytes("bbb\"},"));
        channel.InFlight.Add("7"); // as the relay does before the last part
        channel.EndPart(Bytes("\"id\":7}"), s_request);
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"d\":\"aaabbb\"},\"id\":7}", await first.NextSentAsync());

        first.RemoteEnds(); // in flight once its newline went: the lost link answers it
        JsonNode error = JsonNode.Parse(await LinkHarness.NextLineAsync(channel.Output))!;
        Assert.Equal(7, error["id"]!.GetValue<int>());
        Assert.Equal(-32000, error["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task ALinkLostMidLine_TheRestIsNotSent_AndTheHostGetsConnectionClosedForTheId()
    {
        (ResilientChannel channel, InMemoryChannel first, LinkConnector connector) = Start();
        channel.SendPart(Bytes("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"d\":\"aaa"));
        first.RemoteEnds();
        await connector.AttemptedAsync(1); // the loss was seen: reconnecting

        channel.SendPart(Bytes("bbb"));
        channel.EndPart(Bytes("\"}}"), s_request);
        JsonNode error = JsonNode.Parse(await LinkHarness.NextLineAsync(channel.Output))!;
        Assert.Equal(7, error["id"]!.GetValue<int>());
        Assert.Equal(-32000, error["error"]!["code"]!.GetValue<int>());
        Assert.Contains("not delivered", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var second = new InMemoryChannel(canHalfClose: false) { TakesParts = true };
        connector.Succeed(second);
        LinkHarness.Send(channel, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"}");
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"}", await second.NextSentAsync()); // nothing of line 7 came first
    }

    [Fact]
    public async Task ALineStartedWhileReconnecting_IsAnsweredAtOnce_NotHeldForTheNextLink()
    {
        (ResilientChannel channel, InMemoryChannel first, LinkConnector connector) = Start();
        first.RemoteEnds();
        await connector.AttemptedAsync(1);

        channel.SendPart(Bytes("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"d\":\"" + new string('a', 100_000)));
        channel.EndPart(Bytes("\"}}"), s_request);
        JsonNode error = JsonNode.Parse(await LinkHarness.NextLineAsync(channel.Output))!;
        Assert.Equal(7, error["id"]!.GetValue<int>());
        Assert.Equal(-32000, error["error"]!["code"]!.GetValue<int>());

        var second = new InMemoryChannel(canHalfClose: false) { TakesParts = true };
        connector.Succeed(second);
        LinkHarness.Send(channel, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"}");
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"}", await second.NextSentAsync());
    }

    [Fact]
    public async Task AnAbandonedLine_EndsTheFarEndsLine_AndTheNextFrameFollowsWhole()
    {
        (ResilientChannel channel, InMemoryChannel first, _) = Start();
        channel.SendPart(Bytes("{\"jsonrpc\":\"2.0\",\"id\":7,\"params\":{\"d\":\"aaa"));
        channel.AbandonPart();
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":7,\"params\":{\"d\":\"aaa", await first.NextSentAsync());
        LinkHarness.Send(channel, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"}");
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"}", await first.NextSentAsync());
    }

    [Fact]
    public async Task AFarEndThatStopsReading_HoldsTheHostsReaderOnlyUntilTheLinkIsLost()
    {
        (ResilientChannel channel, InMemoryChannel first, LinkConnector connector) = Start();
        using var gate = new SemaphoreSlim(0);
        first.WriteGate = gate; // the far end stops reading
        channel.SendPart(Bytes("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"d\":\"" + new string('a', 200_000)));
        Assert.True(await first.WriteStarted.WaitAsync(LinkHarness.Wait)); // the writer thread is stuck in the link's write

        // Beyond the bound the host's reader waits (backpressure, not a copy of the whole message)...
        Task more = Task.Run(() => channel.SendPart(Bytes(new string('a', 200_000))));
        Assert.False(more.IsCompleted);
        // ...until the link is declared lost: then it goes on, and the request gets the lost link's error.
        first.RemoteEnds();
        await connector.AttemptedAsync(1);
        await more.WaitAsync(LinkHarness.Wait);
        channel.EndPart(Bytes("\"}}"), s_request);
        JsonNode error = JsonNode.Parse(await LinkHarness.NextLineAsync(channel.Output))!;
        Assert.Equal(7, error["id"]!.GetValue<int>());
        Assert.Contains("lost: test remote closed", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        gate.Release(10);
    }
}
