using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using McpSsh.JsonRpc;
using McpSsh.Relay;

namespace McpSsh.Tests.Resilience;

/// <summary>
/// A link whose output is a pipe the test writes to (<see cref="RemoteWritesAsync"/>), read by the real
/// <see cref="RawChannelOutput"/> on a thread of its own, and which never ends by itself, not even on dispose (a
/// dead TCP link: no bytes, no EOF, a close that does not reach the reader). Its writes can be made to fail, and
/// it signals each write and each read so tests wait on events.
/// </summary>
internal sealed class PipeLink : IRemoteChannel
{
    private readonly Pipe _output = new();
    private readonly System.Threading.Channels.Channel<string> _sent = System.Threading.Channels.Channel.CreateUnbounded<string>();

    /// <summary>When set, every write fails as on a dead socket.</summary>
    public volatile bool FailWrites;

    /// <summary>Released once per write that went through.</summary>
    public SemaphoreSlim SentOne { get; } = new(0);

    /// <summary>Released each time the reader asks for more bytes: what it read before is handled by then.</summary>
    public SemaphoreSlim ReadsAsked { get; } = new(0);

    /// <summary>Released after each read returned, so a test can make a line span two reads for sure.</summary>
    public SemaphoreSlim ReadsDone { get; } = new(0);

    /// <summary>The reader's end (a refused frame stops it).</summary>
    public Task<bool> Reading { get; private set; } = Task.FromResult(false);

    public bool CanHalfClose => false;

    public string CloseReason => "test link";

    public void SendFrame(ReadOnlySequence<byte> frame, in FrameInfo info)
    {
        if (FailWrites)
        {
            throw new IOException("the link's socket is dead");
        }

        // A writer may join queued frames with newlines into one write.
        foreach (string line in Encoding.UTF8.GetString(frame).Split('\n'))
        {
            _sent.Writer.TryWrite(line);
        }

        SentOne.Release();
    }

    public void CompleteInput()
    {
    }

    public Task<bool> DeliverOutputAsync(IFrameReceiver receiver) =>
        Reading = RawChannelOutput.ReadOnOwnThread(new Signalling(_output.Reader.AsStream(), ReadsAsked, ReadsDone), "test link reader", receiver, static _ => { });

    /// <summary>The next line written to the link.</summary>
    public async Task<string> NextSentAsync() => await _sent.Reader.ReadAsync().AsTask().WaitAsync(LinkHarness.Wait);

    /// <summary>True once the reader handled what it had and either asked for more or stopped reading.</summary>
    public async Task<bool> HandledAsync()
    {
        Task<bool> asked = ReadsAsked.WaitAsync(LinkHarness.Wait);
        return await Task.WhenAny(asked, Reading).WaitAsync(LinkHarness.Wait) == Reading || await asked;
    }

    public async Task RemoteWritesAsync(string text) => await _output.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask; // the close never reaches the reader

    private sealed class Signalling(Stream inner, SemaphoreSlim asked, SemaphoreSlim done) : Support.ReadOnlyTestStream
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            asked.Release();
            int read = inner.Read(buffer, offset, count);
            done.Release();
            return read;
        }
    }
}
