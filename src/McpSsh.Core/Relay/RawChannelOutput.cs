using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using McpSsh.Framing;
using McpSsh.JsonRpc;

namespace McpSsh.Relay;

/// <summary>
/// The one way a raw channel (an SSH shell or exec channel, ssh's stdout, a backend's stdout) delivers its output:
/// bytes are split into lines (<see cref="PartLineReader"/>), each line is inspected once (<see cref="FrameInspector"/>)
/// and pushed to the <see cref="IFrameReceiver"/> in order, and <see cref="IFrameReceiver.EndOfBurst"/> follows the
/// lines of each read. A line past the receiver's <see cref="IFrameReceiver.StreamAboveBytes"/> is pushed in parts as
/// it arrives, checked as it passes (<see cref="IncrementalFrameInspector"/>), so the pipe never holds it whole.
/// </summary>
/// <remarks>
/// Two ways in. <see cref="ReadOnOwnThread"/> reads a blocking stream on a thread of its own, which also runs the
/// receiver: a frame goes from the stream to its destination on the thread that read it, with no hop per message. A
/// channel that is handed its bytes (SSH.NET's shell stream, on its receive thread) writes them with
/// <see cref="GetSpan"/> and <see cref="Advance"/>, then calls <see cref="Deliver"/>. One writer at a time. The
/// pipe never pauses: only the line being read waits in it, and pausing below the frame limit would deadlock.
/// </remarks>
public sealed class RawChannelOutput
{
    /// <summary>How much one read asks for.</summary>
    public const int ReadSize = 64 * 1024;

    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
    private readonly IFrameReceiver _receiver;
    private readonly PartLineReader _framer;
    private readonly IncrementalFrameInspector? _check;
    private readonly TaskCompletionSource<bool> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _finished;
    private bool _streaming;

    public RawChannelOutput(IFrameReceiver receiver)
    {
        _receiver = receiver;
        long streamAbove = receiver.StreamAboveBytes;
        _framer = new PartLineReader(receiver.MaxFrameBytes, streamAbove);
        _check = streamAbove < receiver.MaxFrameBytes ? new IncrementalFrameInspector(receiver.MaxFrameBytes, captureMethod: true) : null;
    }

    /// <summary>True when the output ended, false when the receiver stopped it; faulted when the receiver threw.</summary>
    public Task<bool> Completion => _done.Task;

    /// <summary>
    /// Reads <paramref name="source"/> on a new thread named <paramref name="threadName"/> until it ends, fails or the
    /// receiver stops it, pushing the lines of each read before the next. <paramref name="onEnd"/> is called on that
    /// thread once the stream ended (null) or failed, before the output completes, so a close reason can name it;
    /// not when the receiver stopped it.
    /// </summary>
    public static Task<bool> ReadOnOwnThread(Stream source, string threadName, IFrameReceiver receiver, Action<Exception?> onEnd)
    {
        var output = new RawChannelOutput(receiver);
        new Thread(() => output.Copy(source, onEnd)) { IsBackground = true, Name = threadName }.Start();
        return output.Completion;
    }

    /// <summary>Room for the next bytes read; <see cref="Advance"/> says how many were.</summary>
    public Span<byte> GetSpan(int sizeHint = ReadSize) => _pipe.Writer.GetSpan(sizeHint);

    public void Advance(int bytes) => _pipe.Writer.Advance(bytes);

    /// <summary>Pushes every whole line written so far, then ends the burst. False once the receiver stopped (or the output ended).</summary>
    public bool Deliver() => !_finished && Push(final: false);

    /// <summary>The channel's output ended: what is left without a newline is one last line. Completes <see cref="Completion"/>.</summary>
    public void End()
    {
        if (!_finished && Push(final: true))
        {
            Finish(true);
        }
    }

    private void Copy(Stream source, Action<Exception?> onEnd)
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                Memory<byte> memory = _pipe.Writer.GetMemory(ReadSize);
                // Some streams override only the array overload; reading into the pipe's own array avoids a copy.
                int read = MemoryMarshal.TryGetArray(memory, out ArraySegment<byte> array)
                    ? source.Read(array.Array!, array.Offset, array.Count)
                    : source.Read(memory.Span);
                if (read == 0)
                {
                    break;
                }

                Advance(read);
                if (!Deliver())
                {
                    return; // the receiver stopped: leave the stream unread
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error = ex;
        }

        onEnd(error);
        End();
    }

    /// <returns>False when the receiver stopped or threw (the output is then complete).</returns>
    private bool Push(bool final)
    {
        if (final)
        {
            // Completing makes what is left readable even when all of it was examined before (TryRead says no then).
            _pipe.Writer.Complete();
        }
        else
        {
            // No pause threshold and no reader waiting: the flush completes at once and the bytes are readable.
            ValueTask<FlushResult> flush = _pipe.Writer.FlushAsync();
            if (!flush.IsCompletedSuccessfully)
            {
                flush.AsTask().GetAwaiter().GetResult();
            }
        }

        if (!_pipe.Reader.TryRead(out ReadResult read))
        {
            if (final && _framer.InStreamedLine)
            {
                ReadOnlySequence<byte> none = default; // every byte of the line was passed on; its newline never came
                if (!EndStreamedLine(ref none))
                {
                    Finish(false);
                    return false;
                }
            }

            return true;
        }

        ReadOnlySequence<byte> buffer = read.Buffer;
        bool going = true;
        try
        {
            FrameReadStatus status;
            while (going && (status = _framer.TryRead(ref buffer, out ReadOnlySequence<byte> frame)) != FrameReadStatus.NeedMoreData)
            {
                going = Hand(status, frame);
            }

            if (going && final && _framer.InStreamedLine)
            {
                going = EndStreamedLine(ref buffer);
            }
            else if (going && final && (status = _framer.TryReadFinal(ref buffer, out ReadOnlySequence<byte> last)) != FrameReadStatus.NeedMoreData)
            {
                going = Hand(status, last);
            }

            _receiver.EndOfBurst();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The receiver threw: the output ends with its exception, as a failed read loop would.
            _pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
            Finish(ex);
            return false;
        }

        // Consumed up to what was handled; everything else examined, so the framer resumes its search where it left off.
        _pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
        if (!going)
        {
            Finish(false);
        }

        return going;
    }

    /// <summary>
    /// The output ended inside a streamed line. When its bytes make a whole, valid frame it was the output's last
    /// line without a newline (a server that writes its last answer and exits), delivered once as a short one is by
    /// <see cref="LineFrameReader.TryReadFinal"/>; otherwise the link was lost mid-message and the line is cut.
    /// </summary>
    private bool EndStreamedLine(ref ReadOnlySequence<byte> buffer)
    {
        _framer.TryReadFinal(ref buffer, out ReadOnlySequence<byte> last);
        _streaming = false;
        _check!.Feed(last);
        FrameInspection verdict = _check.Complete();
        if (verdict.IsValid && !_check.IsOversized)
        {
            return _receiver.OnLastPart(last, _check, verdict);
        }

        buffer = buffer.Slice(buffer.End);
        _receiver.OnLineCut();
        return true;
    }

    private bool Hand(FrameReadStatus status, ReadOnlySequence<byte> frame)
    {
        switch (status)
        {
            case FrameReadStatus.Oversized:
                return _receiver.OnOversized(frame);
            case FrameReadStatus.Part:
                if (!_streaming)
                {
                    _streaming = true;
                    _check!.Reset();
                }

                _check!.Feed(frame);
                return _receiver.OnPart(frame, _check);
            case FrameReadStatus.LastPart:
                _streaming = false;
                _check!.Feed(frame);
                return _receiver.OnLastPart(frame, _check, _check.Complete());
            default:
                return _receiver.OnFrame(frame, FrameInspector.Inspect(frame, captureMethod: true));
        }
    }

    private void Finish(bool ended)
    {
        Release();
        _done.TrySetResult(ended);
    }

    private void Finish(Exception error)
    {
        Release();
        _done.TrySetException(error);
    }

    private void Release()
    {
        _finished = true;
        _pipe.Writer.Complete();
        _pipe.Reader.Complete(); // the pooled segments go back
    }
}
