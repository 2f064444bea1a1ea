using System.Buffers;
using McpSsh.JsonRpc;
using McpSsh.Relay;

namespace McpSsh.Resilience;

// A link's long lines, pushed in parts (issue 16), go on to the relay part by part. The relay's own traffic
// (keepalive, replay answers) can be as long (a server's page of instructions, a low threshold): a line that starts
// while one of our requests waits for its answer is held whole instead (ResilientChannel.HeldLine.cs), so the
// private-id and listen-acknowledgement routing looks at whole frames only. Our own frames that come while a
// streamed line is open wait until it ends, so they never land inside the host's line.
public sealed partial class ResilientChannel
{
    private readonly List<byte[]> _heldOwnFrames = [];
    private bool _outputLineOpen;
    private int _outputLineGeneration;
    private int _refusedOutputGeneration = -1; // links up to this one were declared lost: their output is refused

    private bool OnLinkPart(int generation, ReadOnlySequence<byte> part, IncrementalFrameInspector check)
    {
        if (!Heard(generation))
        {
            CutOutputLine(generation);
            return false;
        }

        if (HoldPart(generation, part))
        {
            return true; // may be our own answer: held whole until its end (ResilientChannel.HeldLine.cs)
        }

        lock (_outputLock)
        {
            if (_outputCompleted || _receiver is null)
            {
                return true;
            }

            if (generation <= _refusedOutputGeneration)
            {
                return false; // declared lost after Heard said yes: its line was cut, nothing more of it goes on
            }

            CutOtherGenerationsLineLocked(generation);
            _outputLineOpen = true;
            _outputLineGeneration = generation;
            Interlocked.Increment(ref _delivering);
            try
            {
                if (!_receiver.OnPart(part, check))
                {
                    _outputCompleted = true; // the host is gone
                    _delivered.TrySetResult(false);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _delivering);
            }
        }

        return true;
    }

    private bool OnLinkLastPart(int generation, ReadOnlySequence<byte> last, IncrementalFrameInspector check, in FrameInspection verdict)
    {
        if (!Heard(generation))
        {
            CutOutputLine(generation);
            return false;
        }

        if (EndHeldLine(generation, last, check, verdict))
        {
            return true;
        }

        if (verdict.IsValid && !check.IsOversized)
        {
            if (verdict.Info.Kind == FrameKind.Response)
            {
                NoteAnswer(verdict.Info, default); // not kept whole: an initialize answer this long is not replayed
            }
        }
        else if ((check.IsOversized ? check.RecoveredId : verdict.Info.Id) is { } id)
        {
            Replay.Listens.Close(id); // the relay answers its request (the one in-flight table), so it is over for the host
        }

        lock (_outputLock)
        {
            if (_outputCompleted || _receiver is null)
            {
                _outputLineOpen = false;
                return true;
            }

            if (generation <= _refusedOutputGeneration)
            {
                return false;
            }

            CutOtherGenerationsLineLocked(generation);
            Interlocked.Increment(ref _delivering);
            try
            {
                if (!_receiver.OnLastPart(last, check, verdict))
                {
                    _outputCompleted = true;
                    _delivered.TrySetResult(false);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _delivering);
            }

            EndOutputLineLocked();
        }

        return true;
    }

    /// <summary>The link's output ended (or was refused) inside a streamed line: the relay ends the host's line.</summary>
    private void CutOutputLine(int generation)
    {
        lock (_outputLock)
        {
            DropHeldLineLocked(generation);
            if (!_outputLineOpen || _outputLineGeneration != generation)
            {
                return;
            }

            if (!_outputCompleted && _receiver is not null)
            {
                _receiver.OnLineCut();
            }

            EndOutputLineLocked();
        }
    }

    /// <summary>
    /// A link was declared lost (or its replay failed): its output may never end by itself (a dead TCP link sends no
    /// EOF, and its close may block), so an open line of it is cut here, and whatever it still pushes is refused.
    /// Without this the host's line would stay open for good and every later frame, the next link's too, would wait.
    /// </summary>
    private void RefuseOutputOf(int generation)
    {
        lock (_outputLock)
        {
            _refusedOutputGeneration = Math.Max(_refusedOutputGeneration, generation);
            DropHeldLineLocked(generation);
            if (_outputLineOpen && _outputLineGeneration <= generation)
            {
                if (!_outputCompleted && _receiver is not null)
                {
                    _receiver.OnLineCut();
                }

                EndOutputLineLocked();
            }
        }
    }

    /// <summary>A whole frame from a link: refused once the link was declared lost; never pushed into another link's open line.</summary>
    private bool AcceptLinkOutputLocked(int generation)
    {
        if (generation <= _refusedOutputGeneration)
        {
            return false;
        }

        CutOtherGenerationsLineLocked(generation);
        return true;
    }

    /// <summary>A frame of one link must never go into a line another link left open: that line is cut first.</summary>
    private void CutOtherGenerationsLineLocked(int generation)
    {
        if (!_outputLineOpen || _outputLineGeneration == generation)
        {
            return;
        }

        if (!_outputCompleted && _receiver is not null)
        {
            _receiver.OnLineCut();
        }

        EndOutputLineLocked();
    }

    private void EndOutputLineLocked()
    {
        _outputLineOpen = false;
        if (_heldOwnFrames.Count == 0)
        {
            return;
        }

        byte[][] held = [.. _heldOwnFrames];
        _heldOwnFrames.Clear();
        foreach (byte[] frame in held)
        {
            WriteOutput(frame);
        }
    }
}
