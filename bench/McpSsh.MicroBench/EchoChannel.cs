using System.Buffers;
using System.IO.Pipelines;
using McpSsh.JsonRpc;
using McpSsh.Relay;

namespace McpSsh.MicroBench;

/// <summary>
/// A far end that sends every line back, like `cat`; its output is pushed inline on the sender's thread, as
/// ShellChannel's is on SSH.NET's, or read on a thread of its own, as an exec channel's is.
/// </summary>
internal sealed class EchoChannel(bool inlineReader) : IRemoteChannel
{
    private readonly Pipe _output = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
    private RawChannelOutput? _inline;

    public Task<bool> DeliverOutputAsync(IFrameReceiver receiver)
    {
        if (inlineReader)
        {
            _inline = new RawChannelOutput(receiver);
            return _inline.Completion;
        }

        return RawChannelOutput.ReadOnOwnThread(_output.Reader.AsStream(), "echo reader", receiver, static _ => { });
    }

    public bool CanHalfClose => false;

    public string CloseReason => "the echo ended";

    public void SendFrame(ReadOnlySequence<byte> frame, in FrameInfo info)
    {
        if (_inline is { } inline)
        {
            foreach (ReadOnlyMemory<byte> segment in frame)
            {
                segment.Span.CopyTo(inline.GetSpan(segment.Length));
                inline.Advance(segment.Length);
            }

            "\n"u8.CopyTo(inline.GetSpan(1));
            inline.Advance(1);
            inline.Deliver();
            return;
        }

        foreach (ReadOnlyMemory<byte> segment in frame)
        {
            _output.Writer.Write(segment.Span);
        }

        _output.Writer.Write("\n"u8);
        _output.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
    }

    public void CompleteInput() => End();

    public ValueTask DisposeAsync()
    {
        End();
        return ValueTask.CompletedTask;
    }

    private void End()
    {
        _inline?.End();
        _output.Writer.Complete();
    }
}

/// <summary>The host's stdout: counts frames and lets the benchmark wait for each one.</summary>
internal sealed class SignalSink : IFrameSink
{
    private readonly SemaphoreSlim _arrived = new(0);

    public void Write(ReadOnlySequence<byte> frame) => _arrived.Release();

    public void WaitForFrame()
    {
        if (!_arrived.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("the relay did not deliver the echoed frame");
        }
    }
}
