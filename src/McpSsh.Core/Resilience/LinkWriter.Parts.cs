using System.Buffers;

namespace McpSsh.Resilience;

/// <summary>
/// A host line streamed in parts (issue 16) goes through the queue and the writer thread like any queued frame, so
/// the host's reader never does socket I/O itself and a link that stops reading cannot hold it for good. The copy is
/// bounded: the host's reader waits while <see cref="PartQueueBytes"/> of the line are still unwritten (that wait
/// ends when the link is stopped). While the line is open, frames from other threads (keepalive probes, replays) are
/// held aside and queued after its end, so nothing lands inside it.
/// </summary>
internal sealed partial class LinkWriter
{
    /// <summary>How much of a streamed line may wait for the link: four 64 KiB reads of stdin.</summary>
    private const long PartQueueBytes = 256 * 1024;

    private readonly Queue<(byte[] Buffer, int Length, Queued Kind)> _held = new();
    private bool _lineOpen;
    private long _queuedPartBytes;

    private enum Queued
    {
        Frame,
        Part,
        LastPart,
        Abandon,
    }

    /// <summary>
    /// True while a streamed host line is open and all of it so far was written: the link waits for the HOST's next
    /// bytes, not for the far end. Nothing else can go to the link meanwhile (probes are held behind the line), so
    /// an unanswered probe then says nothing about the link. A far end that stops reading keeps a write in progress
    /// or parts queued, so this stays false for it.
    /// </summary>
    public bool WaitsForHostMidLine
    {
        get
        {
            lock (_gate)
            {
                return _lineOpen && !_closed && !_writing && _queue.Count == 0;
            }
        }
    }

    /// <summary>The next bytes of the open line (opening it). False when the link failed or was stopped.</summary>
    public bool SendPart(ReadOnlySequence<byte> part) => EnqueuePart(part, Queued.Part);

    /// <summary>The last bytes of the line; the link adds the newline. False when the link failed or was stopped.</summary>
    public bool EndPart(ReadOnlySequence<byte> last) => EnqueuePart(last, Queued.LastPart);

    /// <summary>Ends the open line as it is, so the far end's parser rejects it.</summary>
    public void AbandonPart()
    {
        lock (_gate)
        {
            if (!_lineOpen)
            {
                return;
            }
        }

        EnqueuePart(ReadOnlySequence<byte>.Empty, Queued.Abandon);
    }

    private bool EnqueuePart(ReadOnlySequence<byte> bytes, Queued kind)
    {
        lock (_gate)
        {
            if (!_lineOpen)
            {
                QueueBurstLocked(); // host frames held back go ahead of the line
            }

            while (!_closed && _queuedPartBytes > 0 && _queuedPartBytes + bytes.Length > PartQueueBytes)
            {
                Monitor.Wait(_gate);
            }

            if (_closed)
            {
                _lineOpen = false;
                return false;
            }

            int length = checked((int)bytes.Length);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, length)); // never the empty array: that marks end of input
            bytes.CopyTo(buffer);
            _queue.Enqueue((buffer, length, kind));
            _queuedPartBytes += length;
            _lineOpen = kind == Queued.Part;
            if (!_lineOpen)
            {
                FlushHeldLocked();
            }

            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>On the writer thread: one queued piece of a streamed line.</summary>
    private bool TryWritePart((byte[] Buffer, int Length, Queued Kind) part)
    {
        var bytes = new ReadOnlySequence<byte>(part.Buffer, 0, part.Length);
        try
        {
            switch (part.Kind)
            {
                case Queued.Part:
                    _link.SendPart(bytes);
                    break;
                case Queued.LastPart:
                    _link.EndPart(bytes, default);
                    break;
                default:
                    _link.AbandonPart();
                    break;
            }

            Interlocked.Add(ref _sentSinceHeard, part.Length);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Stop();
            _failed($"sending failed ({ex.Message})");
            return false;
        }
        finally
        {
            lock (_gate)
            {
                _queuedPartBytes = Math.Max(0, _queuedPartBytes - part.Length); // Stop dropped the queue and counts from zero
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Under the lock: what waited for the streamed line to end goes now.</summary>
    private void FlushHeldLocked()
    {
        while (_held.TryDequeue(out (byte[] Buffer, int Length, Queued Kind) frame))
        {
            _queue.Enqueue(frame);
        }
    }

    private void DropHeldLocked()
    {
        while (_held.TryDequeue(out (byte[] Buffer, int Length, Queued Kind) frame))
        {
            Return(frame.Buffer);
        }

        _queuedPartBytes = 0;
    }
}
