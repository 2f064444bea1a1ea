using System.Buffers;
using System.IO.Pipelines;
using McpSsh.Framing;
using McpSsh.JsonRpc;
using McpSsh.Relay;

namespace McpSsh.Resilience;

// Handing frames to the relay: pushed to its handler once it asked (DeliverOutputAsync), buffered in a pipe until then.
public sealed partial class ResilientChannel
{
    // Output for a reader that does not take frames directly (DeliverOutputAsync), and until the relay asks for them.
    private readonly Pipe _output = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
    private readonly TaskCompletionSource<bool> _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _outputLock = new();
    private bool _outputCompleted;
    private InspectedFrameHandler? _deliver;
    private Action? _deliverEndOfBurst;
    private int _delivering;

    /// <summary>Frames go to the relay's handler (once it asked, <see cref="DeliverOutputAsync"/>) or into <see cref="Output"/>.</summary>
    public Task<bool> DeliverOutputAsync(InspectedFrameHandler handler, Action endOfBurst)
    {
        lock (_outputLock)
        {
            // What arrived before the relay asked is still in the pipe: hand it over first, in order.
            var framer = new Framing.LineFrameReader(_options.MaxFrameBytes);
            if (_output.Reader.TryRead(out ReadResult pending))
            {
                ReadOnlySequence<byte> buffer = pending.Buffer;
                bool hostThere = true;
                while (hostThere && framer.TryRead(ref buffer, out ReadOnlySequence<byte> frame) == FrameReadStatus.Frame)
                {
                    hostThere = handler(FrameReadStatus.Frame, frame, FrameInspector.Inspect(frame, captureMethod: true));
                }

                _output.Reader.AdvanceTo(buffer.Start);
                endOfBurst();
                if (!hostThere)
                {
                    _outputCompleted = true;
                    _delivered.TrySetResult(false);
                }
            }

            _deliver = handler;
            _deliverEndOfBurst = endOfBurst;
            if (_outputCompleted)
            {
                _delivered.TrySetResult(true); // no-op when the host was gone already
            }
        }

        return _delivered.Task;
    }

    /// <summary>One of our own frames (an error, a list_changed): on its own, so it goes to the host at once.</summary>
    private void WriteOutput(byte[] frame)
    {
        var bytes = new ReadOnlySequence<byte>(frame);
        WriteOutput(bytes, FrameInspector.Inspect(bytes, captureMethod: true));
        EndOfOutputBurst();
    }

    /// <summary>The frames a link read brought are all handed over: what the relay held back goes to the host.</summary>
    private void EndOfOutputBurst()
    {
        lock (_outputLock)
        {
            if (_deliverEndOfBurst is null)
            {
                return;
            }

            Interlocked.Increment(ref _delivering);
            try
            {
                _deliverEndOfBurst();
            }
            finally
            {
                Interlocked.Decrement(ref _delivering);
            }
        }
    }

    private void WriteOutput(ReadOnlySequence<byte> frame, in FrameInspection inspection)
    {
        lock (_outputLock)
        {
            if (_outputCompleted)
            {
                return;
            }

            // The relay runs here, on this thread: the call returns once the frame is on stdout (a host that
            // stops reading holds it, and keepalive does not count that against the link).
            Interlocked.Increment(ref _delivering);
            try
            {
                if (_deliver is not null)
                {
                    if (!_deliver(FrameReadStatus.Frame, frame, inspection))
                    {
                        _outputCompleted = true; // the host is gone
                        _delivered.TrySetResult(false);
                    }

                    return;
                }

                PipeWriter writer = _output.Writer;
                foreach (ReadOnlyMemory<byte> segment in frame)
                {
                    writer.Write(segment.Span);
                }

                writer.Write("\n"u8);
                ValueTask<FlushResult> flush = writer.FlushAsync();
                if (!flush.IsCompletedSuccessfully)
                {
                    flush.AsTask().GetAwaiter().GetResult();
                }
            }
            finally
            {
                Interlocked.Decrement(ref _delivering);
            }
        }
    }

    private void CompleteOutput()
    {
        lock (_outputLock)
        {
            if (!_outputCompleted)
            {
                _outputCompleted = true;
                _output.Writer.Complete();
                if (_deliver is not null)
                {
                    _delivered.TrySetResult(true);
                }
            }
        }
    }
}
