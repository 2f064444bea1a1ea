using System.Buffers;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using Microsoft.Extensions.Logging;

namespace McpSsh.Resilience;

// Frames from the current link, and what its end means: answer what was sent on it, then reconnect.
public sealed partial class ResilientChannel
{
    /// <summary>The link pushes its frames (inspected once, by the link) to <see cref="OnLinkFrame"/>; its end is its loss.</summary>
    private void StartPump(IRemoteChannel link, int generation)
    {
        lock (_lock)
        {
            if (generation <= _pumped)
            {
                return; // asked for already (a link's output is delivered once)
            }

            _pumped = generation;
        }

        Task<bool> output;
        try
        {
            output = link.DeliverOutputAsync(new LinkFrames(this, generation));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            output = Task.FromException<bool>(ex);
        }

        output.ContinueWith(ended => OnLinkLost(generation, ended.IsFaulted ? ended.Exception!.GetBaseException().Message : link.CloseReason),
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>A frame from a link counts as proof of life, unless the link was replaced or declared lost (false: stop reading it).</summary>
    private bool Heard(int generation)
    {
        lock (_lock)
        {
            // A replaced link's late bytes; or a lost link's (its requests were answered -32000 "retry": an answer
            // read after that would give the host two answers for one id).
            if (generation != _generation || _state is LinkState.Disconnected or LinkState.Stopped)
            {
                return false;
            }

            _lastReceived = _time.GetTimestamp();
            _unansweredProbes = 0;
            _writer.Heard();
            return true;
        }
    }

    /// <summary>One line from a link: the relay's own traffic stays here, everything else goes to the host whole.</summary>
    private bool OnLinkFrame(int generation, ReadOnlySequence<byte> frame, in FrameInspection inspection)
    {
        if (!Heard(generation))
        {
            return false;
        }

        RouteLinkFrame(generation, frame, inspection);
        return true;
    }

    /// <summary>A whole line from a link that was heard: ours stays here, the rest goes to the relay.</summary>
    private void RouteLinkFrame(int generation, ReadOnlySequence<byte> frame, in FrameInspection inspection)
    {
        if (inspection.IsValid && TakeOwnFrame(inspection.Info, frame))
        {
            return;
        }

        if (inspection.IsValid && inspection.Info.Kind == FrameKind.Response)
        {
            NoteAnswer(inspection.Info, frame);
        }

        // Everything else, including what the relay will reject, goes on whole (with what checking it found).
        WriteOutput(frame, inspection, generation);
    }

    private bool OnLinkOversized(int generation, ReadOnlySequence<byte> head)
    {
        if (!Heard(generation))
        {
            return false;
        }

        WriteOversized(head, generation); // the relay answers its request, if one waits: the one place that does
        return true;
    }

    /// <summary>
    /// True for the relay's own traffic, which never reaches the host: anything under a private id (keepalive and
    /// replay answers; a far end that echoes, like <c>cat</c>, sends the requests themselves back) and the
    /// acknowledgement of a listen the replay re-sent (the host had its own when it opened the listen).
    /// </summary>
    private bool TakeOwnFrame(in FrameInfo info, ReadOnlySequence<byte> frame)
    {
        if (SessionReplay.IsPrivateId(info.Id))
        {
            TaskCompletionSource<byte[]>? answered = null;
            lock (_lock)
            {
                if (info.Kind == FrameKind.Response)
                {
                    _privateAnswers.Remove(info.Id!, out answered);
                }

                // A probe's answer, or its echo (a far end like cat sends the request back): either way no answer of
                // ours is still to come in a later line, so long lines stream again.
                _probeOutstanding = false;
            }

            answered?.TrySetResult(frame.ToArray());
            return true;
        }

        if (info.Kind != FrameKind.Notification || info.Method != McpMethods.SubscriptionsAcknowledged
            || OpenListens.SubscriptionIdOf(frame) is not { } subscription)
        {
            return false;
        }

        TaskCompletionSource<bool>? replayed;
        lock (_lock)
        {
            _listenReplays.Remove(subscription, out replayed);
        }

        replayed?.TrySetResult(true);
        return replayed is not null;
    }

    /// <summary>An answer to one of the host's requests (the relay takes it out of flight): it may end a listen, or be the initialize result.</summary>
    private void NoteAnswer(in FrameInfo info, ReadOnlySequence<byte> frame)
    {
        TaskCompletionSource<bool>? replayed;
        lock (_lock)
        {
            _listenReplays.Remove(info.Id!, out replayed);
        }

        Replay.OnRemoteFrame(info, frame);
        replayed?.TrySetResult(false); // a re-sent listen the server refused or ended: the host gets this answer
    }

    /// <summary>The link is gone: answer what was sent on it, then reconnect (or end, with --no-reconnect).</summary>
    private void OnLinkLost(int generation, string reason)
    {
        List<string> failed;
        IRemoteChannel link;
        LinkWriter lostWriter;
        bool startReconnect;
        lock (_lock)
        {
            if (generation != _generation || _state is LinkState.Disconnected or LinkState.Stopped)
            {
                return;
            }

            if (_closing)
            {
                // The session is ending (host EOF): the link's end is expected; let the relay finish.
                _closeReason = reason;
                _state = LinkState.Stopped;
                CompleteOutput();
                return;
            }

            link = _link;
            lostWriter = _writer;
            _writer.Stop();
            _lastLossReason = reason;
            if (!_options.Reconnect)
            {
                // Exit-on-loss, as without reconnect: the relay answers what is in flight and ends.
                _state = LinkState.Stopped;
                _closeReason = reason;
                failed = [];
                startReconnect = false;
            }
            else
            {
                _state = LinkState.Disconnected;
                // Open listens are not failed: they are re-sent on the next link under the host's id. The others
                // leave the table when the relay passes their errors on.
                failed = InFlight.SentOn(generation, except: Replay.Listens.IsOpen);
                startReconnect = !_reconnecting;
                _reconnecting = true;
            }

            foreach (TaskCompletionSource<byte[]> waiter in _privateAnswers.Values)
            {
                waiter.TrySetCanceled();
            }

            _privateAnswers.Clear();
            foreach (TaskCompletionSource<bool> waiter in _listenReplays.Values)
            {
                waiter.TrySetCanceled();
            }

            _listenReplays.Clear();
        }

        _ = Task.Run(async () => await link.DisposeAsync()); // a dead link's close may block; never on this path
        RefuseOutputOf(generation); // its output may never end (a dead TCP link): end its open line now, before the errors
        if (!_options.Reconnect)
        {
            CompleteOutput();
            return;
        }

        _logger.LogLinkLost(_options.Endpoint, reason, failed.Count);
        foreach (string id in failed)
        {
            WriteOutput(JsonRpcErrorWriter.Write(id, JsonRpcErrorCode.ConnectionClosed,
                $"connection to {_options.Endpoint} lost: {reason}. mcp-ssh is reconnecting; retry the request"));
        }

        _ = WatchStuckWriteAsync(lostWriter);
        if (startReconnect)
        {
            _ = Task.Run(ReconnectLoopAsync);
        }
    }
}
