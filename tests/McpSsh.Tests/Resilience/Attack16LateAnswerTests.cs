using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using McpSsh.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using static McpSsh.Tests.Resilience.LinkHarness;

namespace McpSsh.Tests.Resilience;

/// <summary>
/// attack16: the in-flight table and a link declared lost while its output still flows (a failed write; keepalive on
/// a server that was only busy). OnLinkLost answers every request sent on the link with -32000; an answer the old
/// link delivers before the next link replaces it still passes Heard(generation) (it checks the generation only,
/// not that the link was declared lost) and goes to the host too: two answers for one id.
/// </summary>
public class Attack16LateAnswerTests
{
    private sealed class FlakyLink : IRemoteChannel
    {
        private readonly Pipe _output = new();

        public volatile bool FailWrites;

        public SemaphoreSlim SentOne { get; } = new(0);

        public bool CanHalfClose => false;

        public string CloseReason => "flaky link";

        public void SendFrame(ReadOnlySequence<byte> frame, in FrameInfo info)
        {
            if (FailWrites)
            {
                throw new IOException("write failed");
            }

            SentOne.Release();
        }

        public void CompleteInput()
        {
        }

        /// <summary>Released each time the link's reader asks for more: what it read before is handled by then.</summary>
        public SemaphoreSlim ReadsAsked { get; } = new(0);

        /// <summary>The reader's end (a refused frame stops it).</summary>
        public Task<bool> Reading { get; private set; } = Task.FromResult(false);

        public Task<bool> DeliverOutputAsync(IFrameReceiver receiver) =>
            Reading = RawChannelOutput.ReadOnOwnThread(new AskSignalling(_output.Reader.AsStream(), ReadsAsked), "attack16 flaky reader", receiver, static _ => { });

        /// <summary>True once the reader handled what it had and either asked for more or stopped reading.</summary>
        public async Task<bool> HandledAsync()
        {
            Task asked = ReadsAsked.WaitAsync(Wait);
            return await Task.WhenAny(asked, Reading).WaitAsync(Wait) == Reading || await (Task<bool>)asked;
        }

        public async Task RemoteWritesAsync(string text) => await _output.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask; // the close has not reached the reader yet

        private sealed class AskSignalling(Stream inner, SemaphoreSlim asked) : Stream
        {
            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                asked.Release();
                return inner.Read(buffer, offset, count);
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }

    [Fact]
    public async Task AnAnswerFromALinkAlreadyDeclaredLost_DoesNotReachTheHostAfterItsRequestWasFailed()
    {
        var first = new FlakyLink();
        var connector = new LinkConnector();
        var channel = new ResilientChannel(first, connector.ConnectAsync, new ResilienceOptions { Keepalive = TimeSpan.Zero, Endpoint = "host:22" }, NullLogger.Instance);
        Delivering(channel);
        Assert.True(await first.ReadsAsked.WaitAsync(Wait), "the old link's reader waits in its first read");
        channel.InFlight.Add("1", longLived: false); // as the relay does before sending
        Send(channel, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}");
        Assert.True(await first.SentOne.WaitAsync(Wait));

        first.FailWrites = true;
        channel.InFlight.Add("2", longLived: false);
        Send(channel, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}"); // the write fails: the link is lost
        await connector.AttemptedAsync(1);

        var errors = new List<JsonNode>();
        for (int i = 0; i < 2; i++)
        {
            errors.Add(JsonNode.Parse(await NextLineAsync(channel.Output))!);
        }

        Assert.Contains(errors, e => e["id"]!.GetValue<int>() == 1 && e["error"]!["code"]!.GetValue<int>() == -32000);

        // The old link's reader still delivers: the server's answer to 1 comes now (nothing of a lost link goes on).
        await first.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"late\":true}}\n");
        Assert.True(await first.HandledAsync(), "the old link's reader handled the late answer");

        // The next link's first frame marks the point by which the late answer would have reached the host.
        var second = new FlakyLink();
        connector.Succeed(second);
        await second.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/marker\"}\n");
        string next = await NextLineAsync(channel.Output);
        Assert.DoesNotContain("\"late\"", next, StringComparison.Ordinal); // id 1 was already answered with -32000
        Assert.Contains("notifications/marker", next, StringComparison.Ordinal);
    }
}
