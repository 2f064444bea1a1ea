using System.Buffers;

namespace McpSsh.Relay;

/// <summary>
/// A line written in parts (a streamed frame): while it is open, whole frames from other writers (error
/// answers, list_changed, replays) wait until it ends, so they never land inside it. A line given up
/// half-way is ended with a bare newline, which makes the reader's parser reject what it got: the relay never
/// writes a top-level object's closing brace into a line before the line's end is known (<see cref="StreamedLineHold"/>),
/// so what an abandoned line holds is never a whole JSON text.
/// </summary>
/// <remarks>
/// One writer streams at a time and it is the relay's pump for this direction; it must end or abandon its line
/// before it writes a whole frame itself (it would wait for itself otherwise). Each part is flushed: a shell
/// channel's stream holds writes until flushed, and a part is already as large as a coalesced write.
/// </remarks>
public sealed partial class StreamFrameSink
{
    private bool _lineOpen;

    public bool CanWriteParts => true;

    /// <summary>Writes the next bytes of a line, opening it first (frames held until now go before it).</summary>
    public void WritePart(ReadOnlySequence<byte> part)
    {
        lock (_lock)
        {
            if (!_lineOpen)
            {
                WaitForLineLocked();
                WriteGatheredLocked();
                _lineOpen = true;
            }

            try
            {
                WriteSegmentsLocked(part);
                stream.Flush();
            }
            catch
            {
                CloseLineLocked(); // the stream is broken: nothing can be written into the line any more
                throw;
            }
        }
    }

    /// <summary>Writes the last bytes of the open line (or a whole line, if none is open) and its newline.</summary>
    public void EndLine(ReadOnlySequence<byte> last)
    {
        lock (_lock)
        {
            if (!_lineOpen)
            {
                WaitForLineLocked();
                WriteGatheredLocked();
            }

            try
            {
                WriteSegmentsLocked(last);
                stream.Write(s_newline);
                stream.Flush();
            }
            finally
            {
                CloseLineLocked();
            }
        }
    }

    /// <summary>
    /// Gives up the open line: a newline ends it as it is, so the far end's parser rejects the truncated message (it
    /// lacks at least its closing brace: see <see cref="StreamedLineHold"/>).
    /// Returns false when no line was open. A broken stream is not an error here (the line is gone with it).
    /// </summary>
    public bool AbandonLine()
    {
        lock (_lock)
        {
            if (!_lineOpen)
            {
                return false;
            }

            try
            {
                stream.Write(s_newline);
                stream.Flush();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // The reader is gone: it will not parse the line either.
            }
            finally
            {
                CloseLineLocked();
            }

            return true;
        }
    }

    /// <summary>True while a streamed line is open.</summary>
    public bool LineOpen
    {
        get
        {
            lock (_lock)
            {
                return _lineOpen;
            }
        }
    }

    private void WaitForLineLocked()
    {
        while (_lineOpen)
        {
            Monitor.Wait(_lock);
        }
    }

    private void CloseLineLocked()
    {
        _lineOpen = false;
        Monitor.PulseAll(_lock);
    }

    private void WriteSegmentsLocked(ReadOnlySequence<byte> bytes)
    {
        foreach (ReadOnlyMemory<byte> segment in bytes)
        {
            stream.Write(segment.Span);
        }
    }
}
