using System.Buffers;
using McpSsh.JsonRpc;
using McpSsh.Relay;

namespace McpSsh.Resilience;

// Handing frames to the relay: each link pushes its frames here (LinkFrames), and they, with our own, go on to the
// relay's receiver one at a time. Nothing is read from a link before the relay asked, so nothing waits in between.
public sealed partial class ResilientChannel
{
    private readonly TaskCompletionSource<bool> _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _outputLock = new();
    private IFrameReceiver? _receiver;
    private bool _outputCompleted;
    private int _delivering;
    private int _pumped = -1; // the newest link generation whose output was asked for

    /// <summary>
    /// From now on every frame for the host goes to <paramref name="receiver"/>: the first link's output starts
    /// (and keepalive with it). Completes true when the output ends for good, false when the receiver stopped it.
    /// </summary>
    public Task<bool> DeliverOutputAsync(IFrameReceiver receiver)
    {
        lock (_outputLock)
        {
            if (_receiver is not null)
            {
                throw new InvalidOperationException("the channel's output is delivered once");
            }

            _receiver = receiver;
            if (_outputCompleted)
            {
                _delivered.TrySetResult(true); // stopped or disposed before the relay asked
                return _delivered.Task;
            }
        }

        IRemoteChannel link;
        int generation;
        lock (_lock)
        {
            link = _link;
            generation = _generation;
            _lastReceived = _time.GetTimestamp(); // idle from here: nothing was read before
        }

        StartPump(link, generation);
        if (_options.Keepalive > TimeSpan.Zero)
        {
            _ = Task.Run(KeepaliveLoopAsync);
        }

        return _delivered.Task;
    }

    /// <summary>What one link pushes, tagged with its generation so a replaced link's late frames are refused.</summary>
    private sealed class LinkFrames(ResilientChannel owner, int generation) : IFrameReceiver
    {
        public long MaxFrameBytes => owner._options.MaxFrameBytes;

        public bool OnFrame(ReadOnlySequence<byte> frame, in FrameInspection inspection) => owner.OnLinkFrame(generation, frame, inspection);

        public bool OnOversized(ReadOnlySequence<byte> head) => owner.OnLinkOversized(generation, head);

        public void EndOfBurst() => owner.EndOfOutputBurst();

        public long StreamAboveBytes => owner._receiver?.StreamAboveBytes ?? long.MaxValue;

        public bool OnPart(ReadOnlySequence<byte> part, IncrementalFrameInspector check) => owner.OnLinkPart(generation, part, check);

        public bool OnLastPart(ReadOnlySequence<byte> last, IncrementalFrameInspector check, in FrameInspection verdict) =>
            owner.OnLinkLastPart(generation, last, check, verdict);

        public void OnLineCut() => owner.CutOutputLine(generation);
    }

    /// <summary>
    /// One of our own frames (an error, a list_changed): on its own, so it goes to the host at once; or, while a
    /// streamed line is open, after it (the host's line must not be split by it).
    /// </summary>
    private void WriteOutput(byte[] frame)
    {
        lock (_outputLock)
        {
            if (_outputLineOpen)
            {
                _heldOwnFrames.Add(frame);
                return;
            }

            var bytes = new ReadOnlySequence<byte>(frame);
            WriteOutput(bytes, FrameInspector.Inspect(bytes, captureMethod: true));
            EndOfOutputBurst();
        }
    }

    /// <summary>The frames a link read brought are all handed over: what the relay held back goes to the host.</summary>
    private void EndOfOutputBurst()
    {
        lock (_outputLock)
        {
            if (_receiver is null || _outputCompleted)
            {
                return;
            }

            Interlocked.Increment(ref _delivering);
            try
            {
                _receiver.EndOfBurst();
            }
            finally
            {
                Interlocked.Decrement(ref _delivering);
            }
        }
    }

    /// <param name="generation">The link the frame came from (refused once it was declared lost), or -1 for our own.</param>
    private void WriteOutput(ReadOnlySequence<byte> frame, in FrameInspection inspection, int generation = -1)
    {
        lock (_outputLock)
        {
            if (_outputCompleted || _receiver is null)
            {
                return; // the host is gone (or, misused, the relay has not asked yet: nothing can be read before it does)
            }

            if (generation >= 0 && !AcceptLinkOutputLocked(generation))
            {
                return;
            }

            // The relay runs here, on this thread: the call returns once the frame is on stdout (a host that
            // stops reading holds it, and keepalive does not count that against the link).
            Interlocked.Increment(ref _delivering);
            try
            {
                if (!_receiver.OnFrame(frame, inspection))
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
    }

    /// <summary>A line over the limit from the current link: its head goes to the relay, which answers its request.</summary>
    private void WriteOversized(ReadOnlySequence<byte> head, int generation)
    {
        lock (_outputLock)
        {
            if (_outputCompleted || _receiver is null || !AcceptLinkOutputLocked(generation))
            {
                return;
            }

            Interlocked.Increment(ref _delivering);
            try
            {
                if (!_receiver.OnOversized(head))
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
    }

    private void CompleteOutput()
    {
        lock (_outputLock)
        {
            if (!_outputCompleted)
            {
                _outputCompleted = true;
                if (_receiver is not null)
                {
                    _delivered.TrySetResult(true);
                }
            }
        }
    }
}
