using System.Buffers;

namespace McpSsh.Resilience;

// The queue and the writer thread: what cannot be written inline goes here, in order, small frames joined.
internal sealed partial class LinkWriter
{
    /// <summary>
    /// How many bytes of whole frames may wait for the link before the host's reader waits too (as for the parts of a
    /// streamed line, <see cref="PartQueueBytes"/>): memory then depends on this, not on how much the host sends to a
    /// far end that stopped reading. Only the host's frames wait (<see cref="Send"/>); our own (<see cref="Enqueue"/>:
    /// keepalive probes, replays, requests that waited for a link) never do, so they cannot deadlock the host's
    /// reader, and they are small or already held elsewhere. The wait ends when the link is stopped.
    /// </summary>
    private const long FrameQueueBytes = 256 * 1024;

    private long _queuedFrameBytes;

    /// <summary>Under the lock, on the host's reader thread: waits while the queue is full. False when the link was stopped.</summary>
    private bool WaitForQueueRoomLocked(long length)
    {
        while (!_closed && _queuedFrameBytes > 0 && _queuedFrameBytes + length > FrameQueueBytes)
        {
            Monitor.Wait(_gate);
        }

        return !_closed;
    }

    /// <summary>Queues a frame for the writer thread; never blocks.</summary>
    public void Enqueue(ReadOnlySequence<byte> frame)
    {
        lock (_gate)
        {
            if (!_closed)
            {
                EnqueueCopy(frame);
            }
        }
    }

    /// <summary>EOF to the link once everything queued before it is written (exec half-close).</summary>
    public void CompleteInput()
    {
        lock (_gate)
        {
            if (!_closed)
            {
                QueueBurstLocked();
                FlushHeldLocked();
                _queue.Enqueue((s_endOfInput, 0, Queued.Frame));
                _closed = true;
                Monitor.PulseAll(_gate); // the writer thread, or a host thread waiting to stream a line
            }
        }
    }

    /// <summary>No more frames, and those still queued are dropped; a write in progress on a dead link is abandoned.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _closed = true;
            while (_queue.TryDequeue(out (byte[] Buffer, int Length, Queued Kind) dropped))
            {
                Return(dropped.Buffer);
            }

            DropHeldLocked();
            _queuedFrameBytes = 0;
            Monitor.PulseAll(_gate); // the writer thread, or a host thread waiting to stream a line
        }
    }

    /// <summary>Under the lock: what was held back goes ahead of what comes next.</summary>
    private void QueueBurstLocked()
    {
        if (_burst.WrittenCount > 0)
        {
            EnqueueCopy(new ReadOnlySequence<byte>(_burst.WrittenMemory));
            _burst.ResetWrittenCount();
        }
    }

    /// <summary>Under the lock (frames are small or rare here: large host frames arrive one at a time).</summary>
    private void EnqueueCopy(ReadOnlySequence<byte> frame)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(checked((int)frame.Length));
        frame.CopyTo(buffer);
        (_lineOpen ? _held : _queue).Enqueue((buffer, (int)frame.Length, Queued.Frame)); // nothing goes inside a streamed line
        _queuedFrameBytes += frame.Length;
        Monitor.PulseAll(_gate); // the writer thread, or a host thread waiting to stream a line
    }

    private void Run()
    {
        var batch = new ArrayBufferWriter<byte>(BatchBytes);
        var taken = new List<(byte[] Buffer, int Length, Queued Kind)>();
        while (true)
        {
            lock (_gate)
            {
                while (_writing || _queue.Count == 0)
                {
                    if (_closed && _queue.Count == 0)
                    {
                        return;
                    }

                    Monitor.Wait(_gate);
                }

                TakeBatch(taken);
                _writing = true;
            }

            bool ok = true;
            try
            {
                if (ReferenceEquals(taken[0].Buffer, s_endOfInput))
                {
                    _link.CompleteInput();
                    return;
                }

                if (taken[0].Kind != Queued.Frame)
                {
                    ok = TryWritePart(taken[0]);
                }
                else
                {
                    ReadOnlySequence<byte> bytes = Join(taken, batch);
                    Interlocked.Add(ref _sentSinceHeard, bytes.Length + 1);
                    ok = TryWrite(bytes);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Stop();
                _failed($"sending failed ({ex.Message})");
                return;
            }
            finally
            {
                long written = 0;
                foreach ((byte[] buffer, int length, Queued kind) in taken)
                {
                    written += kind == Queued.Frame ? length : 0;
                    Return(buffer);
                }

                taken.Clear();
                lock (_gate)
                {
                    _queuedFrameBytes = Math.Max(0, _queuedFrameBytes - written); // Stop dropped the queue and counts from zero
                    _writing = false;
                    Monitor.PulseAll(_gate); // a host thread may wait to stream a line
                }
            }

            if (!ok)
            {
                return;
            }
        }
    }

    /// <summary>Under the lock: the next frame, plus the small ones queued right behind it (never past the end of input).</summary>
    private void TakeBatch(List<(byte[] Buffer, int Length, Queued Kind)> taken)
    {
        (byte[] Buffer, int Length, Queued Kind) first = _queue.Dequeue();
        taken.Add(first);
        int bytes = first.Length;
        while (first.Kind == Queued.Frame && !ReferenceEquals(first.Buffer, s_endOfInput) && _queue.TryPeek(out (byte[] Buffer, int Length, Queued Kind) next)
            && next.Kind == Queued.Frame && !ReferenceEquals(next.Buffer, s_endOfInput) && bytes + 1 + next.Length <= BatchBytes)
        {
            taken.Add(_queue.Dequeue());
            bytes += 1 + next.Length;
        }
    }

    private static ReadOnlySequence<byte> Join(List<(byte[] Buffer, int Length, Queued Kind)> frames, ArrayBufferWriter<byte> batch)
    {
        if (frames.Count == 1)
        {
            return new ReadOnlySequence<byte>(frames[0].Buffer, 0, frames[0].Length);
        }

        // The channel adds the newline after the last one.
        batch.ResetWrittenCount();
        for (int i = 0; i < frames.Count; i++)
        {
            if (i > 0)
            {
                batch.Write("\n"u8);
            }

            batch.Write(frames[i].Buffer.AsSpan(0, frames[i].Length));
        }

        return new ReadOnlySequence<byte>(batch.WrittenMemory);
    }

    private static void Return(byte[] buffer)
    {
        if (!ReferenceEquals(buffer, s_endOfInput))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
