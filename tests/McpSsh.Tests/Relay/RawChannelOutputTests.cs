using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using McpSsh.JsonRpc;
using McpSsh.Relay;

namespace McpSsh.Tests.Relay;

/// <summary>The one helper every raw channel delivers its output with: lines pushed in order, inspected, a burst per read.</summary>
public class RawChannelOutputTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    /// <summary>A blocking stream whose every read returns the next chunk the test added (or 0 once it ended).</summary>
    private sealed class ChunkStream : Support.ReadOnlyTestStream
    {
        private readonly BlockingCollection<Func<byte[]>> _chunks = [];

        public int Left => _chunks.Count;

        public void Add(string text) => _chunks.Add(() => Encoding.UTF8.GetBytes(text));

        public void Fail(Exception error) => _chunks.Add(() => throw error);

        public void End() => _chunks.CompleteAdding();

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!_chunks.TryTake(out Func<byte[]>? next, Timeout.Infinite))
            {
                return 0;
            }

            byte[] chunk = next();
            chunk.CopyTo(buffer, offset);
            return chunk.Length;
        }
    }

    /// <summary>Notes every call in order: "Kind id-or-method valid | text", "oversized | head", "burst".</summary>
    private sealed class Recorder(long maxFrameBytes = 1 << 20) : IFrameReceiver
    {
        public Channel<string> Calls { get; } = Channel.CreateUnbounded<string>();

        public Func<string, bool> Accept { get; init; } = _ => true;

        public long MaxFrameBytes => maxFrameBytes;

        public bool OnFrame(ReadOnlySequence<byte> frame, in FrameInspection inspection)
        {
            string text = Encoding.UTF8.GetString(frame);
            Calls.Writer.TryWrite($"{inspection.Info.Kind} {inspection.Info.Id ?? inspection.Info.Method} {inspection.IsValid} | {text}");
            return Accept(text);
        }

        public bool OnOversized(ReadOnlySequence<byte> head)
        {
            Calls.Writer.TryWrite($"oversized {head.Length} {FrameInspector.TryRecoverId(head)}");
            return true;
        }

        public void EndOfBurst() => Calls.Writer.TryWrite("burst");

        public async Task<string> NextAsync() => await Calls.Reader.ReadAsync().AsTask().WaitAsync(s_wait);
    }

    [Fact]
    public async Task ReadOnOwnThread_PushesLinesInOrder_WithTheirInspection_AndEndsABurstAfterEachRead()
    {
        var stream = new ChunkStream();
        var receiver = new Recorder();
        Exception? ended = new InvalidOperationException("not ended");
        Task<bool> done = RawChannelOutput.ReadOnOwnThread(stream, "test reader", receiver, error => ended = error);

        stream.Add("""{"jsonrpc":"2.0","id":1,"result":{}}""" + "\n\r\n" + """{"jsonrpc":"2.0","method":"notifications/progress"}""" + "\r\n" + """{"jsonrpc":"2.0","id":""");
        Assert.Equal("""Response 1 True | {"jsonrpc":"2.0","id":1,"result":{}}""", await receiver.NextAsync());
        Assert.Equal("""Notification notifications/progress True | {"jsonrpc":"2.0","method":"notifications/progress"}""", await receiver.NextAsync());
        Assert.Equal("burst", await receiver.NextAsync()); // the partial third line waits for the next read

        stream.Add("""2,"result":{}}""" + "\nnot json\n");
        Assert.Equal("""Response 2 True | {"jsonrpc":"2.0","id":2,"result":{}}""", await receiver.NextAsync());
        Assert.Equal("Other  False | not json", await receiver.NextAsync());
        Assert.Equal("burst", await receiver.NextAsync());

        stream.Add("""{"jsonrpc":"2.0","method":"last"}""");
        Assert.Equal("burst", await receiver.NextAsync()); // no newline yet: nothing to push
        stream.End();
        Assert.Equal("""Notification last True | {"jsonrpc":"2.0","method":"last"}""", await receiver.NextAsync()); // the output's end ends the line
        Assert.Equal("burst", await receiver.NextAsync());
        Assert.True(await done.WaitAsync(s_wait));
        Assert.Null(ended);
    }

    [Fact]
    public async Task ALineOverTheLimit_ArrivesAsItsHeadOnly_AndTheNextLineWhole()
    {
        var stream = new ChunkStream();
        var receiver = new Recorder(maxFrameBytes: 64);
        Task<bool> done = RawChannelOutput.ReadOnOwnThread(stream, "test reader", receiver, static _ => { });

        string big = """{"jsonrpc":"2.0","id":7,"result":{"pad":""" + "\"" + new string('x', 6000) + "\"}}";
        stream.Add(big[..3000]);
        Assert.Equal("oversized 3000 7", await receiver.NextAsync()); // over the limit before its end arrived: the head, once
        Assert.Equal("burst", await receiver.NextAsync());
        stream.Add(big[3000..] + "\n" + """{"jsonrpc":"2.0","id":8,"result":{}}""" + "\n");
        Assert.Equal("""Response 8 True | {"jsonrpc":"2.0","id":8,"result":{}}""", await receiver.NextAsync()); // the rest of the big line is skipped
        Assert.Equal("burst", await receiver.NextAsync());
        stream.End();
        Assert.True(await done.WaitAsync(s_wait));
    }

    [Fact]
    public async Task AReceiverThatReturnsFalse_StopsTheOutput_AndNothingMoreIsRead()
    {
        var stream = new ChunkStream();
        var receiver = new Recorder { Accept = text => !text.Contains("stop", StringComparison.Ordinal) };
        bool endCalled = false;
        Task<bool> done = RawChannelOutput.ReadOnOwnThread(stream, "test reader", receiver, _ => endCalled = true);

        stream.Add("""{"jsonrpc":"2.0","method":"stop"}""" + "\n" + """{"jsonrpc":"2.0","method":"after"}""" + "\n");
        Assert.False(await done.WaitAsync(s_wait));
        Assert.Equal("""Notification stop True | {"jsonrpc":"2.0","method":"stop"}""", await receiver.NextAsync());
        Assert.Equal("burst", await receiver.NextAsync()); // the line after the refused one is not pushed

        stream.Add("""{"jsonrpc":"2.0","method":"unread"}""" + "\n");
        Assert.Equal(1, stream.Left); // the reader thread is gone: nobody takes it
        Assert.False(receiver.Calls.Reader.TryRead(out _));
        Assert.False(endCalled);
    }

    [Fact]
    public async Task AReceiverThatThrows_FaultsTheOutput_AndAFailingStreamEndsIt()
    {
        var throwing = new Recorder { Accept = _ => throw new InvalidDataException("receiver broke") };
        var stream = new ChunkStream();
        Task<bool> faulted = RawChannelOutput.ReadOnOwnThread(stream, "test reader", throwing, static _ => { });
        stream.Add("""{"jsonrpc":"2.0","method":"x"}""" + "\n");
        Assert.Equal("receiver broke", (await Assert.ThrowsAsync<InvalidDataException>(() => faulted.WaitAsync(s_wait))).Message);

        var failing = new ChunkStream();
        Exception? ended = null;
        Task<bool> done = RawChannelOutput.ReadOnOwnThread(failing, "test reader", new Recorder(), error => ended = error);
        failing.Fail(new IOException("channel reset"));
        Assert.True(await done.WaitAsync(s_wait)); // the output ended; the channel's close reason names why
        Assert.Equal("channel reset", ended?.Message);
    }

    [Fact]
    public async Task BytesHandedIn_ArePushedWhenDelivered_AndTheEndPushesTheLastLine()
    {
        var receiver = new Recorder();
        var output = new RawChannelOutput(receiver);
        Write(output, """{"jsonrpc":"2.0","id":1,"result":{}}""" + "\n" + """{"jsonrpc":"2.0","id":2,""");
        Write(output, "\"result\":{}}\n{\"jsonrpc\":\"2.0\",\"method\":\"tail\"}");
        Assert.False(receiver.Calls.Reader.TryRead(out _)); // nothing before Deliver: several reads make one burst

        Assert.True(output.Deliver());
        Assert.Equal("""Response 1 True | {"jsonrpc":"2.0","id":1,"result":{}}""", await receiver.NextAsync());
        Assert.Equal("""Response 2 True | {"jsonrpc":"2.0","id":2,"result":{}}""", await receiver.NextAsync());
        Assert.Equal("burst", await receiver.NextAsync());

        output.End();
        Assert.Equal("""Notification tail True | {"jsonrpc":"2.0","method":"tail"}""", await receiver.NextAsync());
        Assert.Equal("burst", await receiver.NextAsync());
        Assert.True(await output.Completion.WaitAsync(s_wait));
        Assert.False(output.Deliver()); // ended: nothing more
    }

    private static void Write(RawChannelOutput output, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
