using System.IO.Pipelines;
using System.Text;
using McpSsh.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Relay;

public class RelaySessionTests
{
    private readonly Pipe _stdin = new();
    private readonly HostOutput _stdout = new();

    private RelaySession Create(InMemoryChannel channel, long maxFrameBytes = 1 << 20) =>
        new(_stdin.Reader, _stdout, channel,
            new RelayOptions { MaxFrameBytes = maxFrameBytes, Endpoint = "example:22", DrainTimeout = TimeSpan.FromSeconds(30) },
            NullLogger.Instance);

    private Task HostWritesAsync(string text) => _stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

    [Fact]
    public async Task Relay_FramesBothWays_AreForwardedByteForByte()
    {
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = Create(channel).RunAsync(CancellationToken.None);

        // Odd spacing and member order must survive: nothing is re-serialised.
        await HostWritesAsync("{ \"method\" : \"ping\",\"id\":1 ,\"jsonrpc\":\"2.0\"}\r\n");
        Assert.Equal("{ \"method\" : \"ping\",\"id\":1 ,\"jsonrpc\":\"2.0\"}", await channel.NextSentAsync());

        await channel.RemoteWritesAsync("{\"result\" :{},  \"id\":1,\"jsonrpc\":\"2.0\"}\n");
        Assert.Equal("{\"result\" :{},  \"id\":1,\"jsonrpc\":\"2.0\"}", await _stdout.NextAsync());

        channel.RemoteEnds();
        RelayResult result = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(RelayOutcome.RemoteClosed, result.Outcome);
        Assert.Equal(0, result.FailedRequests);
    }

    [Fact]
    public async Task Relay_MalformedHostLine_IsAnsweredAndNotForwarded()
    {
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = Create(channel).RunAsync(CancellationToken.None);

        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"x\",\"params\":{oops}}\n{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}\n");
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}", await channel.NextSentAsync());
        string error = await _stdout.NextAsync();
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32700,", error);

        channel.RemoteEnds();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Relay_OversizedHostLine_IsAnsweredWithInvalidRequestAndItsId()
    {
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = Create(channel, maxFrameBytes: 1024).RunAsync(CancellationToken.None);

        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":\"big\",\"method\":\"tools/call\",\"params\":{\"d\":\"" + new string('x', 5000) + "\"}}\n");
        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\n");
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}", await channel.NextSentAsync());
        string error = await _stdout.NextAsync();
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":\"big\",\"error\":{\"code\":-32600,", error);
        Assert.Contains("--max-frame-bytes", error);

        channel.RemoteEnds();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Relay_RemoteEnds_EveryUnansweredRequestGetsOneConnectionClosedError()
    {
        var channel = new InMemoryChannel(canHalfClose: true) { CloseReason = "remote command exited with status 3" };
        RelaySession relay = Create(channel);
        Task<RelayResult> run = relay.RunAsync(CancellationToken.None);

        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\"}\n{\"jsonrpc\":\"2.0\",\"id\":\"two\",\"method\":\"b\"}\n{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"c\"}\n");
        for (int i = 0; i < 3; i++)
        {
            await channel.NextSentAsync();
        }

        await channel.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":\"two\",\"result\":{}}\n");
        Assert.Contains("\"two\"", await _stdout.NextAsync());
        channel.RemoteEnds();

        RelayResult result = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(RelayOutcome.RemoteClosed, result.Outcome);
        Assert.Equal(2, result.FailedRequests);
        List<string> errors = _stdout.Drain();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Contains("\"code\":-32000,\"message\":\"connection to example:22 closed: remote command exited with status 3\"", e));
        Assert.Equal(["1", "3"], errors.Select(e => e.Split("\"id\":")[1].Split(',')[0]).Order());
    }

    [Fact]
    public async Task Relay_CancelledRequest_IsNotFailedWhenRemoteEnds()
    {
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = Create(channel).RunAsync(CancellationToken.None);

        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\"}\n");
        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":9}}\n");
        await channel.NextSentAsync();
        await channel.NextSentAsync();
        channel.RemoteEnds();

        RelayResult result = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, result.FailedRequests);
        Assert.Empty(_stdout.Drain());
    }

    [Fact]
    public async Task Relay_HostEof_WaitsForInFlightAnswerBeforeSendingEof()
    {
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = Create(channel).RunAsync(CancellationToken.None);

        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"slow\"}\n");
        await channel.NextSentAsync();
        await _stdin.Writer.CompleteAsync();

        await channel.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n");
        Assert.Contains("\"result\"", await _stdout.NextAsync());
        await channel.InputCompleted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        channel.RemoteEnds();

        RelayResult result = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(RelayOutcome.HostClosed, result.Outcome);
        Assert.Equal(["sent {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"slow\"}", "remote {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", "eof"], channel.Events);
    }

    [Fact]
    public async Task Relay_MalformedRemoteAnswerToPendingRequest_HostGetsAnError()
    {
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = Create(channel).RunAsync(CancellationToken.None);

        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"x\"}\n");
        await channel.NextSentAsync();
        await channel.RemoteWritesAsync("debug output from a careless server\n{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{\"broken\n{\"jsonrpc\":\"2.0\",\"method\":\"n\"}\n");

        string error = await _stdout.NextAsync();
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":4,\"error\":{\"code\":-32603,", error);
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"method\":\"n\"}", await _stdout.NextAsync());

        channel.RemoteEnds();
        Assert.Equal(0, (await run.WaitAsync(TimeSpan.FromSeconds(10))).FailedRequests);
    }

    [Fact]
    public async Task Relay_StopRequested_EndsCleanly()
    {
        var channel = new InMemoryChannel(canHalfClose: false);
        using var stop = new CancellationTokenSource();
        Task<RelayResult> run = Create(channel).RunAsync(stop.Token);
        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n");
        await channel.NextSentAsync();

        stop.Cancel();
        RelayResult result = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(RelayOutcome.HostClosed, result.Outcome);
    }
}
