using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Relay;

/// <summary>
/// Issue 16, host to remote: a host line above the streaming threshold goes to the channel in parts as it
/// arrives; one that turns out malformed or too large mid-way has the far end's line ended there and is
/// answered to the host with the usual error for its id; a request is in flight before its newline is sent.
/// </summary>
public class StreamedHostFramesTests
{
    private const long Threshold = 4096;
    private readonly Pipe _stdin = new();
    private readonly StreamedRemoteFramesTests.HostStream _host = new();

    /// <summary>A channel that takes parts: what the far end received, byte for byte, with an event per write.</summary>
    private sealed class PartChannel : IRemoteChannel
    {
        private readonly Pipe _output = new();
        private readonly StreamedRemoteFramesTests.HostStream _received = new();
        private readonly StreamFrameSink _input;

        public PartChannel() => _input = new StreamFrameSink(_received);

        public StreamedRemoteFramesTests.HostStream Received => _received;

        /// <summary>Called as the last part of a line is sent, before its newline.</summary>
        public Action<FrameInfo>? BeforeNewline { get; set; }

        public bool CanHalfClose => true;

        public string CloseReason => "test remote closed";

        public bool CanSendParts => true;

        public void SendFrame(ReadOnlySequence<byte> frame, in FrameInfo info) => _input.Write(frame);

        public void SendPart(ReadOnlySequence<byte> part) => _input.WritePart(part);

        public void EndPart(ReadOnlySequence<byte> last, in FrameInfo info)
        {
            BeforeNewline?.Invoke(info);
            _input.EndLine(last);
        }

        public void AbandonPart() => _input.AbandonLine();

        public void CompleteInput()
        {
        }

        public Task<bool> DeliverOutputAsync(IFrameReceiver receiver) =>
            RawChannelOutput.ReadOnOwnThread(_output.Reader.AsStream(), "test remote reader", receiver, static _ => { });

        public async Task RemoteWritesAsync(string text) => await _output.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

        public void RemoteEnds() => _output.Writer.Complete();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private RelaySession Create(PartChannel channel, long maxFrameBytes = 1 << 24) =>
        new(_stdin.Reader, new StreamFrameSink(_host), channel,
            new RelayOptions { MaxFrameBytes = maxFrameBytes, StreamAboveBytes = Threshold, Endpoint = "example:22", DrainTimeout = TimeSpan.FromSeconds(30) },
            NullLogger.Instance);

    private Task HostWritesAsync(string text) => _stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

    private async Task NextRequestGoesThroughAsync(PartChannel channel, int lines)
    {
        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"ping\"}\n");
        await channel.Received.WaitUntilAsync(r => r.Lines.Length >= lines, "the next request");
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"ping\"}", channel.Received.Lines[lines - 1]);
    }

    [Fact]
    public async Task ALargeRequest_GoesOnAsItArrives_AndIsInFlightBeforeItsNewline()
    {
        var channel = new PartChannel();
        RelaySession relay = Create(channel);
        bool inFlightBeforeNewline = false;
        channel.BeforeNewline = info => inFlightBeforeNewline = info.Id == "\"up\"" && relay.InFlight.Contains("\"up\"");
        Task<RelayResult> run = relay.RunAsync(CancellationToken.None);

        string request = "{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"data\":\"" + string.Concat(Enumerable.Repeat("é€😀\\u00e9", 30_000)) + "\"},\"id\":\"up\"}";
        int half = request.Length / 2;
        await HostWritesAsync(request[..half]);
        await channel.Received.WaitUntilAsync(r => r.Length > 50_000, "the first half of the request");
        Assert.DoesNotContain('\n', channel.Received.Text);

        await HostWritesAsync(request[half..] + "\n");
        await channel.Received.WaitUntilAsync(r => r.Lines.Length >= 1, "the whole request");
        Assert.Equal(request, channel.Received.Lines[0]);
        Assert.True(inFlightBeforeNewline);

        channel.RemoteEnds();
        Assert.Equal(1, (await run.WaitAsync(TimeSpan.FromSeconds(10))).FailedRequests); // it was in flight
    }

    [Fact]
    public async Task MalformedMidWay_TheFarEndsLineIsEnded_TheHostGetsTheErrorForItsId_TheSessionGoesOn()
    {
        var channel = new PartChannel();
        Task<RelayResult> run = Create(channel).RunAsync(CancellationToken.None);

        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"data\":\"" + new string('a', 30_000));
        await channel.Received.WaitUntilAsync(r => r.Length > 10_000, "the start of the request");
        await HostWritesAsync("\u0001" + new string('b', 30_000) + "\"}}\n");

        await channel.Received.WaitUntilAsync(r => r.Lines.Length >= 1, "the ended line");
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":5,", channel.Received.Lines[0]);
        Assert.DoesNotContain("b", channel.Received.Lines[0], StringComparison.Ordinal);
        await _host.WaitUntilAsync(h => h.Lines.Length >= 1, "the error");
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32700,", _host.Lines[0]);
        Assert.Contains("cut off mid-way", _host.Lines[0], StringComparison.Ordinal);

        await NextRequestGoesThroughAsync(channel, 2);
        channel.RemoteEnds();
        Assert.Equal(1, (await run.WaitAsync(TimeSpan.FromSeconds(10))).FailedRequests); // only the ping: the bad one never was in flight
    }

    [Fact]
    public async Task OverTheLimitMidWay_TheFarEndsLineIsEnded_TheHostGetsTheSizeError()
    {
        var channel = new PartChannel();
        Task<RelayResult> run = Create(channel, maxFrameBytes: 50_000).RunAsync(CancellationToken.None);

        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"data\":\"" + new string('a', 30_000));
        await channel.Received.WaitUntilAsync(r => r.Length > 10_000, "the start of the request");
        await HostWritesAsync(new string('a', 90_000) + "\"},\"id\":\"big\"}\n"); // the id comes last, after the limit

        await _host.WaitUntilAsync(h => h.Lines.Length >= 1, "the error");
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":\"big\",\"error\":{\"code\":-32600,", _host.Lines[0]);
        Assert.Contains("--max-frame-bytes", _host.Lines[0], StringComparison.Ordinal);
        await channel.Received.WaitUntilAsync(r => r.Lines.Length >= 1, "the ended line");
        Assert.InRange(channel.Received.Lines[0].Length, Threshold, 50_000);

        await NextRequestGoesThroughAsync(channel, 2);
        channel.RemoteEnds();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
