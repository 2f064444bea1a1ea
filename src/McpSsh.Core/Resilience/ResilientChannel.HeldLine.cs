using System.Buffers;
using McpSsh.JsonRpc;

namespace McpSsh.Resilience;

// A link's long line that may be the relay's own (attack16 finding 8). A streamed line's id is known only at its
// end (the id may come last), so a line that starts while one of our own requests waits for its answer on the link
// (a replayed initialize, a keepalive probe: both under private ids) is not streamed: its parts are held, and at its
// end it is routed as a whole frame (ours stays here, the host's goes on whole). Memory: the held line is bounded by
// --max-frame-bytes (past it only the head is kept, for the relay to answer the request), as every whole frame was
// before streaming; and holding happens only while such a request is outstanding (during a replay; once per idle
// keepalive period), so the host's large answers still stream at every other time.
public sealed partial class ResilientChannel
{
    private ArrayBufferWriter<byte>? _heldLine; // guarded by _outputLock
    private int _heldLineGeneration;
    private bool _probeOutstanding; // guarded by _lock: a keepalive probe went out and no private answer came yet
    private long _probeSentAt; // guarded by _lock

    /// <summary>True when a line from the link may be the answer to one of our own requests (checked as the line starts).</summary>
    private bool OwnAnswerMayCome()
    {
        lock (_lock)
        {
            // A probe's answer comes at once from a live MCP server; one that never comes (a far end that does not
            // answer pings but keeps talking) holds long lines for one keepalive period at most, not for good.
            return _privateAnswers.Count > 0 || (_probeOutstanding && _time.GetElapsedTime(_probeSentAt) < _options.Keepalive);
        }
    }

    /// <summary>Called for each part before it goes to the relay: true when the part was held here instead.</summary>
    private bool HoldPart(int generation, ReadOnlySequence<byte> part)
    {
        bool mayBeOurs = OwnAnswerMayCome(); // asked before _outputLock: _lock is never taken inside it
        lock (_outputLock)
        {
            if (generation <= _refusedOutputGeneration)
            {
                return false; // the caller refuses it
            }

            if (_heldLine is not null && _heldLineGeneration == generation)
            {
                AppendLocked(_heldLine, part);
                return true;
            }

            if ((_outputLineOpen && _outputLineGeneration == generation) || !mayBeOurs)
            {
                return false; // a line already streaming goes on; none of ours can be answered now
            }

            _heldLine = new ArrayBufferWriter<byte>((int)Math.Min(part.Length * 2, 1 << 20));
            _heldLineGeneration = generation;
            AppendLocked(_heldLine, part);
            return true;
        }
    }

    /// <summary>The end of a held line: routed whole, as a frame that was never streamed. False when none was held.</summary>
    private bool EndHeldLine(int generation, ReadOnlySequence<byte> last, IncrementalFrameInspector check, in FrameInspection verdict)
    {
        ArrayBufferWriter<byte> held;
        lock (_outputLock)
        {
            if (_heldLine is null || _heldLineGeneration != generation)
            {
                return false;
            }

            held = _heldLine;
            _heldLine = null;
            AppendLocked(held, last);
        }

        var frame = new ReadOnlySequence<byte>(held.WrittenMemory);
        if (check.IsOversized)
        {
            if (check.RecoveredId is { } id)
            {
                Replay.Listens.Close(id);
            }

            WriteOversized(frame, generation); // only the head was kept: the relay answers its request
            return true;
        }

        RouteLinkFrame(generation, frame, verdict);
        return true;
    }

    /// <summary>The link's output ended, or it was declared lost, inside a held line: nothing of it went anywhere.</summary>
    private void DropHeldLineLocked(int generation)
    {
        if (_heldLine is not null && _heldLineGeneration <= generation)
        {
            _heldLine = null;
        }
    }

    private void AppendLocked(ArrayBufferWriter<byte> held, ReadOnlySequence<byte> bytes)
    {
        long room = _options.MaxFrameBytes - held.WrittenCount;
        if (room <= 0)
        {
            return; // past the limit: the head is enough for the relay to recover the id
        }

        foreach (ReadOnlyMemory<byte> segment in bytes.Length > room ? bytes.Slice(0, room) : bytes)
        {
            held.Write(segment.Span);
        }
    }
}
