using System.IO.Pipelines;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;
using McpSsh.Resilience;
using McpSsh.Tests.Relay;
using McpSsh.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using static McpSsh.Tests.Resilience.LinkHarness;

namespace McpSsh.Tests.Resilience;

/// <summary>The channel's timers on a clock the test moves: keepalive, --reconnect-wait and a stuck write, without waiting on real time.</summary>
public class ResilientChannelClockTests
{
    private readonly ManualTimeProvider _time = new();

    // The channel's loop arms its next timer on another thread: wait for it, bounded.
    private Task WaitForTimersAsync(int count) => _time.WhenPendingAsync(count).WaitAsync(Wait);

    [Fact]
    public async Task SilentLink_IsDeclaredDeadAfterTheProbesAllowed_OnTheGivenClock()
    {
        var first = new InMemoryChannel(canHalfClose: false);
        var options = new ResilienceOptions { Keepalive = TimeSpan.FromSeconds(15), KeepaliveCountMax = 2, Endpoint = "host:22" };
        await using var channel = Delivering(new ResilientChannel(first, new LinkConnector().ConnectAsync, options, NullLogger.Instance, _time));
        Send(channel, """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"slow"}}""");
        await first.NextSentAsync();

        for (int probe = 1; probe <= 2; probe++)
        {
            await WaitForTimersAsync(1);
            _time.Advance(TimeSpan.FromSeconds(15));
            Assert.Equal(McpMethods.Ping, JsonNode.Parse(await first.NextSentAsync())!["method"]!.GetValue<string>());
            Assert.False(HasLine(channel.Output));
        }

        await WaitForTimersAsync(1);
        _time.Advance(TimeSpan.FromSeconds(15));
        JsonNode error = JsonNode.Parse(await NextLineAsync(channel.Output))!;
        Assert.Equal(2, error["id"]!.GetValue<int>());
        Assert.Equal("connection to host:22 lost: no answer to 2 keepalive probe(s) in 45 s (the link is dead or the server is stuck). mcp-ssh is reconnecting; retry the request",
            error["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequestWhileDisconnected_IsAnsweredWhenTheReconnectWaitHasPassed_OnTheGivenClock()
    {
        var first = new InMemoryChannel(canHalfClose: false);
        var options = new ResilienceOptions { Keepalive = TimeSpan.Zero, ReconnectWait = TimeSpan.FromSeconds(20), Endpoint = "host:22" };
        await using var channel = Delivering(new ResilientChannel(first, new LinkConnector().ConnectAsync, options, NullLogger.Instance, _time));
        first.RemoteEnds();
        await WaitForTimersAsync(1); // the first reconnect attempt's backoff

        Send(channel, """{"jsonrpc":"2.0","id":"w","method":"tools/list"}""");
        await WaitForTimersAsync(2);
        _time.Advance(TimeSpan.FromSeconds(19));
        Assert.False(HasLine(channel.Output));
        _time.Advance(TimeSpan.FromSeconds(1));
        JsonNode error = JsonNode.Parse(await NextLineAsync(channel.Output))!;
        Assert.Equal("w", error["id"]!.GetValue<string>());
        Assert.StartsWith("not connected to host:22 for 20 s (lost: test remote closed); the request was not sent", error["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task AHostWriteStuckOnALostLink_IsMeasuredOnTheGivenClock()
    {
        var first = new InMemoryChannel(canHalfClose: false);
        var options = new ResilienceOptions { Keepalive = TimeSpan.Zero, StuckWriteLimit = TimeSpan.FromSeconds(30), Endpoint = "host:22" };
        var channel = Delivering(new ResilientChannel(first, new LinkConnector().ConnectAsync, options, NullLogger.Instance, _time));

        // A small frame to an idle link is written on the sender's thread, which stays in that write.
        first.WriteGate = new SemaphoreSlim(0);
        Task sending = Task.Run(() => Send(channel, """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"slow"}}"""));
        Assert.True(await first.WriteStarted.WaitAsync(Wait));
        first.RemoteEnds();
        Assert.Contains("\"id\":2", await NextLineAsync(channel.Output));

        // The watch (every second) and the first reconnect's backoff (under a second, then the connect waits for
        // ever here) wait on the clock; then only the watch does. 30 s of it end the session.
        await WaitForTimersAsync(2);
        _time.Advance(TimeSpan.FromSeconds(1));
        for (int second = 2; second <= 30; second++)
        {
            await WaitForTimersAsync(1);
            Assert.Equal("the connection ended", channel.CloseReason);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        ReadResult end = await channel.Output.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.True(end.IsCompleted);
        Assert.Equal("a write to the lost connection to host:22 has been blocked for 30 s and holds the host's input; restart the session", channel.CloseReason);
        first.WriteGate.Release();
        await sending.WaitAsync(Wait);
        await channel.DisposeAsync();
    }
}
