using System.Buffers;
using System.IO.Pipelines;
using McpSsh.JsonRpc;
using McpSsh.Relay;

namespace McpSsh.MicroBench;

/// <summary>A far end that sends every line back, like `cat`; its output is read inline, as ShellChannel's is.</summary>
internal sealed class EchoChannel(bool inlineReader) : IRemoteChannel
{
    private readonly Pipe _output = new(new PipeOptions(
        readerScheduler: inlineReader ? PipeScheduler.Inline : PipeScheduler.ThreadPool,
        pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));

    public PipeReader Output => _output.Reader;

    public bool CanHalfClose => false;

    public string CloseReason => "the echo ended";

    public void SendFrame(ReadOnlySequence<byte> frame, in FrameInfo info)
    {
        foreach (ReadOnlyMemory<byte> segment in frame)
        {
            _output.Writer.Write(segment.Span);
        }

        _output.Writer.Write("\n"u8);
        _output.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
    }

    public void CompleteInput() => _output.Writer.Complete();

    public ValueTask DisposeAsync()
    {
        _output.Writer.Complete();
        return ValueTask.CompletedTask;
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
