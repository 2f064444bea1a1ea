using System.Buffers;
using McpSsh.JsonRpc;

namespace McpSsh.Resilience;

/// <summary>
/// A host line streamed in parts (issue 16) is written on the host's reader thread, straight from the pipe, after
/// everything queued before it; nothing is copied or queued for it. While it is open the writer thread holds its
/// queue (keepalive probes, replays), so nothing lands inside the line. A far end that stops reading blocks the
/// host's reader here: that is the backpressure, instead of a queue that grows with the message.
/// </summary>
internal sealed partial class LinkWriter
{
    private bool _lineOpen;

    /// <summary>The next bytes of the open line (opening it). False when the link failed or was stopped.</summary>
    public bool SendPart(ReadOnlySequence<byte> part) => WritePart(link => link.SendPart(part), endsLine: false);

    /// <summary>The last bytes of the line and its newline. False when the link failed or was stopped.</summary>
    public bool EndPart(ReadOnlySequence<byte> last, FrameInfo info) => WritePart(link => link.EndPart(last, info), endsLine: true);

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

        WritePart(link => link.AbandonPart(), endsLine: true);
    }

    private bool WritePart(Action<Relay.IRemoteChannel> write, bool endsLine)
    {
        lock (_gate)
        {
            if (!_lineOpen)
            {
                QueueBurstLocked();
            }

            // Wait for the write in progress and, before the line opens, for everything queued ahead of it.
            while (!_closed && (_writing || (!_lineOpen && _queue.Count > 0)))
            {
                Monitor.Wait(_gate);
            }

            if (_closed)
            {
                _lineOpen = false;
                return false;
            }

            _lineOpen = true;
            _writing = true;
            Interlocked.Exchange(ref _inlineSince, Math.Max(1, _time.GetTimestamp()));
        }

        bool ok = true;
        try
        {
            write(_link);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ok = false;
            Stop();
            _failed($"sending failed ({ex.Message})");
        }
        finally
        {
            lock (_gate)
            {
                Interlocked.Exchange(ref _inlineSince, 0);
                _writing = false;
                _lineOpen &= ok && !endsLine;
                Monitor.PulseAll(_gate);
            }
        }

        return ok;
    }
}
