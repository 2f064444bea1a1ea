using System.IO.Pipelines;
using System.Text;
using McpSsh.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Relay;

/// <summary>Issue 11, defects 2 and 3 in the client relay: a frame that is valid JSON but not a valid message costs that message only.</summary>
public class RelayHardeningTests
{
    private readonly Pipe _stdin = new();
    private readonly HostOutput _stdout = new();

    private Task<RelayResult> Start(InMemoryChannel channel) =>
        new RelaySession(_stdin.Reader, _stdout, channel,
            new RelayOptions { MaxFrameBytes = 1 << 20, Endpoint = "example:22", DrainTimeout = TimeSpan.FromSeconds(30) },
            NullLogger.Instance).RunAsync(CancellationToken.None);

    private Task HostWritesAsync(string text) => _stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

    [Fact]
    public async Task Relay_LoneSurrogateIdFromHost_IsAnswered_AndLaterRequestsStillGoThrough()
    {
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = Start(channel);

        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":\"\\ud800\",\"method\":\"tools/call\",\"params\":{}}\n");
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":\"\\ud800\",\"error\":{\"code\":-32600,", await _stdout.NextAsync());

        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\n");
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}", await channel.NextSentAsync());
        Assert.False(run.IsCompleted);

        channel.RemoteEnds();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("{\"x\":1}")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("[1]")]
    public async Task Relay_InvalidIdFromHost_IsAnsweredWithNullId_AndNotForwarded(string id)
    {
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = Start(channel);

        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}\n");
        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"method\":5,\"id\":4}\n");
        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\n");
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}", await channel.NextSentAsync());
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,", await _stdout.NextAsync());
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,", await _stdout.NextAsync());
        Assert.DoesNotContain(channel.Events, e => e.Contains("tools/call", StringComparison.Ordinal) || e.Contains("\"method\":5", StringComparison.Ordinal));

        channel.RemoteEnds();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Relay_LoneSurrogateIdFromRemote_IsDropped_AndTheSessionGoesOn()
    {
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = Start(channel);

        await channel.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":\"\\ud800\",\"result\":{}}\n{\"jsonrpc\":\"2.0\",\"method\":\"\\ud800\"}\n");
        await channel.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}\n");
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}", await _stdout.NextAsync());
        Assert.False(run.IsCompleted);

        channel.RemoteEnds();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Relay_NoValidMessageWithinTheFirstFrameBound_EndsAsIfTheHostClosed()
    {
        var channel = new InMemoryChannel(canHalfClose: true);
        var relay = new RelaySession(_stdin.Reader, _stdout, channel,
            new RelayOptions { Endpoint = "backend x", DrainTimeout = TimeSpan.FromSeconds(5), FirstFrameTimeout = TimeSpan.FromMilliseconds(200) },
            NullLogger.Instance);
        Task<RelayResult> run = relay.RunAsync(CancellationToken.None);

        await HostWritesAsync("SSH-2.0-probe\n{\"jsonrpc\":"); // one bad line (answered), then a partial one
        Assert.Contains("-32700", await _stdout.NextAsync(), StringComparison.Ordinal);

        // The bound passes: the relay sends EOF, as when stdin closes; the backend then ends.
        await channel.InputCompleted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        channel.RemoteEnds();
        Assert.Equal(RelayOutcome.HostClosed, (await run.WaitAsync(TimeSpan.FromSeconds(10))).Outcome);
    }
}
