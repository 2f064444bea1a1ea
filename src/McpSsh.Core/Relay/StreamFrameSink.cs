using System.Buffers;

namespace McpSsh.Relay;

/// <summary>
/// Writes frames to a stream, one line each, flushed: stdout, where both relay directions write (relayed
/// frames and the relay's own error answers), and the SSH channel's input. Writes are serialised.
/// </summary>
/// <remarks>
/// A frame of up to <see cref="CoalesceBytes"/> goes out with its newline in one write: stdout is unbuffered
/// (a write is a syscall) and so is an exec channel's input (a write is an SSH packet), and a line in two
/// writes also wakes the reader twice, once for a partial line. Frames written with <see cref="WriteHeld"/>
/// gather up to the same size until <see cref="Flush"/> or the next <see cref="Write"/>.
/// </remarks>
public sealed partial class StreamFrameSink(Stream stream) : IFrameSink
{
    private const int CoalesceBytes = 64 * 1024;
    private static readonly byte[] s_newline = "\n"u8.ToArray();
    private readonly object _lock = new(); // a Monitor: writers wait on it while a streamed line is open
    private readonly ArrayBufferWriter<byte> _lines = new(4096);

    public void Write(ReadOnlySequence<byte> frame)
    {
        lock (_lock)
        {
            WaitForLineLocked();
            WriteHeldLocked(frame);
            WriteGatheredLocked();
        }
    }

    public void WriteHeld(ReadOnlySequence<byte> frame)
    {
        lock (_lock)
        {
            WaitForLineLocked();
            WriteHeldLocked(frame);
        }
    }

    public void Flush()
    {
        lock (_lock)
        {
            if (_lineOpen)
            {
                return; // nothing is gathered while a line is open: it was written before the line began
            }

            WriteGatheredLocked();
        }
    }

    /// <summary>Disposes the stream once no write is in progress (for a channel input: sends EOF); a streamed line still open is abandoned first.</summary>
    public void Close()
    {
        lock (_lock)
        {
            // A line still open now is one nobody will end (its writer stopped: SIGTERM, a broken stdin, a lost
            // link): end it so the reader rejects it, instead of waiting for good.
            AbandonLine();
            stream.Dispose();
        }
    }

    private void WriteHeldLocked(ReadOnlySequence<byte> frame)
    {
        if (TryGather(frame))
        {
            return;
        }

        WriteGatheredLocked();
        if (!TryGather(frame))
        {
            WriteLargeLocked(frame);
        }
    }

    private bool TryGather(ReadOnlySequence<byte> frame)
    {
        if (_lines.WrittenCount + frame.Length + 1 > CoalesceBytes)
        {
            return false;
        }

        foreach (ReadOnlyMemory<byte> segment in frame)
        {
            _lines.Write(segment.Span);
        }

        _lines.Write(s_newline);
        return true;
    }

    private void WriteGatheredLocked()
    {
        if (_lines.WrittenCount == 0)
        {
            return;
        }

        try
        {
            stream.Write(_lines.WrittenSpan);
            stream.Flush();
        }
        finally
        {
            _lines.ResetWrittenCount(); // written, or lost with a broken stream
        }
    }

    private void WriteLargeLocked(ReadOnlySequence<byte> frame)
    {
        foreach (ReadOnlyMemory<byte> segment in frame)
        {
            stream.Write(segment.Span);
        }

        stream.Write(s_newline);
        stream.Flush();
    }
}
