using System.Buffers;

namespace McpSsh.Resilience;

// The queue and the writer thread: what cannot be written inline goes here, in order, small frames joined.
internal sealed partial class LinkWriter
{
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
                _queue.Enqueue((s_endOfInput, 0));
                _closed = true;
                Monitor.Pulse(_gate);
            }
        }
    }

    /// <summary>No more frames, and those still queued are dropped; a write in progress on a dead link is abandoned.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _closed = true;
            while (_queue.TryDequeue(out (byte[] Buffer, int Length) dropped))
            {
                Return(dropped.Buffer);
            }

            Monitor.Pulse(_gate);
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
        _queue.Enqueue((buffer, (int)frame.Length));
        Monitor.Pulse(_gate);
    }

    private void Run()
    {
        var batch = new ArrayBufferWriter<byte>(BatchBytes);
        var taken = new List<(byte[] Buffer, int Length)>();
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

                ReadOnlySequence<byte> bytes = Join(taken, batch);
                Interlocked.Add(ref _sentSinceHeard, bytes.Length + 1);
                ok = TryWrite(bytes);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Stop();
                _failed($"sending failed ({ex.Message})");
                return;
            }
            finally
            {
                foreach ((byte[] buffer, _) in taken)
                {
                    Return(buffer);
                }

                taken.Clear();
                lock (_gate)
                {
                    _writing = false;
                }
            }

            if (!ok)
            {
                return;
            }
        }
    }

    /// <summary>Under the lock: the next frame, plus the small ones queued right behind it (never past the end of input).</summary>
    private void TakeBatch(List<(byte[] Buffer, int Length)> taken)
    {
        (byte[] Buffer, int Length) first = _queue.Dequeue();
        taken.Add(first);
        int bytes = first.Length;
        while (!ReferenceEquals(first.Buffer, s_endOfInput) && _queue.TryPeek(out (byte[] Buffer, int Length) next)
            && !ReferenceEquals(next.Buffer, s_endOfInput) && bytes + 1 + next.Length <= BatchBytes)
        {
            taken.Add(_queue.Dequeue());
            bytes += 1 + next.Length;
        }
    }

    private static ReadOnlySequence<byte> Join(List<(byte[] Buffer, int Length)> frames, ArrayBufferWriter<byte> batch)
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
