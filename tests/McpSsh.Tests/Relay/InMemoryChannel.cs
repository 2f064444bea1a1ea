using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Threading.Channels;
using McpSsh.JsonRpc;
using McpSsh.Relay;

namespace McpSsh.Tests.Relay;

/// <summary>A remote channel made of in-memory pipes: the test plays the remote MCP server.</summary>
internal sealed class InMemoryChannel(bool canHalfClose) : IRemoteChannel
{
    private readonly Pipe _remoteOutput = new();
    private readonly Channel<string> _sent = Channel.CreateUnbounded<string>();

    public List<string> Events { get; } = [];

    /// <summary>True once the relay (or a resilient channel) asked for the output: nothing was read before.</summary>
    public bool Delivering { get; private set; }

    /// <summary>The remote's output, read on a thread of its own and pushed as a raw channel's is.</summary>
    public Task<bool> DeliverOutputAsync(IFrameReceiver receiver)
    {
        Delivering = true;
        return RawChannelOutput.ReadOnOwnThread(_remoteOutput.Reader.AsStream(), "test remote reader", receiver, static _ => { });
    }

    public bool CanHalfClose => canHalfClose;

    public string CloseReason { get; set; } = "test remote closed";

    /// <summary>When set, each write waits for it (a far end that stopped reading); <see cref="WriteStarted"/> says one is waiting.</summary>
    public SemaphoreSlim? WriteGate { get; set; }

    public SemaphoreSlim WriteStarted { get; } = new(0);

    /// <summary>How many writes the channel got (frames joined with newlines count once).</summary>
    public int Writes;

    public void SendFrame(ReadOnlySequence<byte> frame, in FrameInfo info)
    {
        Interlocked.Increment(ref Writes);
        WriteStarted.Release();
        WriteGate?.Wait(TimeSpan.FromSeconds(10));
        // A writer may join queued frames with newlines into one write, as the bytes on a real channel would be.
        foreach (string text in Encoding.UTF8.GetString(frame).Split('\n'))
        {
            lock (Events)
            {
                Events.Add("sent " + text);
            }

            _sent.Writer.TryWrite(text);
        }
    }

    /// <summary>Opt in to taking host lines in parts (issue 16); the far end sees an abandoned line as it was cut.</summary>
    public bool TakesParts { get; init; }

    private readonly StringBuilder _partLine = new();

    public bool CanSendParts => TakesParts;

    public void SendPart(ReadOnlySequence<byte> part)
    {
        WriteStarted.Release();
        WriteGate?.Wait(TimeSpan.FromSeconds(10));
        lock (_partLine)
        {
            _partLine.Append(Encoding.UTF8.GetString(part));
        }
    }

    public void EndPart(ReadOnlySequence<byte> last, in FrameInfo info)
    {
        string line;
        lock (_partLine)
        {
            line = _partLine.Append(Encoding.UTF8.GetString(last)).ToString();
            _partLine.Clear();
        }

        SendFrame(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)), info);
    }

    public void AbandonPart()
    {
        string line;
        lock (_partLine)
        {
            line = _partLine.ToString();
            _partLine.Clear();
        }

        SendFrame(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)), default);
    }

    public TaskCompletionSource InputCompleted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void CompleteInput()
    {
        lock (Events)
        {
            Events.Add("eof");
        }

        InputCompleted.TrySetResult();
    }

    /// <summary>Waits (bounded) for the next frame the relay sent to the remote.</summary>
    public async Task<string> NextSentAsync() =>
        await _sent.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public async Task RemoteWritesAsync(string text)
    {
        lock (Events)
        {
            Events.Add("remote " + text.TrimEnd('\n'));
        }

        await _remoteOutput.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Raw bytes from the remote (they need not be UTF-8).</summary>
    public async Task RemoteWritesAsync(byte[] bytes) => await _remoteOutput.Writer.WriteAsync(bytes);

    public void RemoteEnds() => _remoteOutput.Writer.Complete();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Collects what the relay writes to the host, line by line.</summary>
internal sealed class HostOutput : IFrameSink
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    public void Write(ReadOnlySequence<byte> frame) => _lines.Writer.TryWrite(Encoding.UTF8.GetString(frame));

    public async Task<string> NextAsync() => await _lines.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public List<string> Drain()
    {
        var lines = new List<string>();
        while (_lines.Reader.TryRead(out string? line))
        {
            lines.Add(line);
        }

        return lines;
    }
}
