using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.Framing;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using Microsoft.Extensions.Logging;

namespace McpSsh.Resilience;

/// <summary>
/// A remote channel that outlives its links. To the relay it is one channel whose output never breaks; below,
/// SSH links come and go: a link is declared dead when it ends or stops answering keepalive probes; requests
/// sent on it are answered with -32000 at once; a new link is made with backoff, the MCP session is replayed
/// on it (<see cref="SessionReplay"/>), the host is told to re-list, and requests that waited are sent.
/// Frames are passed on whole from each link, so a link dying mid-frame never corrupts the next; the relay gets
/// them with the inspection done here (<see cref="IInspectedOutput"/>), on the link's receive thread.
/// </summary>
public sealed class ResilientChannel : IRemoteChannel, IInspectedOutput, IBurstInput
{
    private enum LinkState
    {
        Connected,
        Replaying,
        Disconnected,
        Stopped,
    }

    private readonly Func<CancellationToken, Task<IRemoteChannel>> _connect;
    private readonly ResilienceOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    // Output for a reader that does not take frames directly (DeliverOutputAsync), and until the relay asks for them.
    private readonly Pipe _output = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
    private readonly TaskCompletionSource<bool> _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _outputLock = new();
    private readonly Lock _lock = new();
    private readonly HashSet<string> _sentInFlight = new(StringComparer.Ordinal);
    private readonly List<(string Id, byte[] Frame)> _waiting = [];
    private readonly Dictionary<string, TaskCompletionSource<byte[]>> _privateAnswers = new(StringComparer.Ordinal);
    // Listens re-sent on a new link, by the host's id: true when the server acknowledged, false when it answered (ended it).
    private readonly Dictionary<string, TaskCompletionSource<bool>> _listenReplays = new(StringComparer.Ordinal);
    // The host's cancellations of open listens that came while not connected: sent after the replay, which may have re-opened them.
    private readonly List<byte[]> _cancelsAfterReplay = [];
    private readonly CancellationTokenSource _shutdown = new();
    private IRemoteChannel _link;
    private LinkWriter _writer;
    private LinkState _state = LinkState.Connected;
    private int _generation;
    private bool _reconnecting;
    private bool _closing;
    private long _lastReceived;
    private int _unansweredProbes;
    private string _lastLossReason = "";
    private string _closeReason = "the connection ended";
    private bool _outputCompleted;
    private InspectedFrameHandler? _deliver;
    private Action? _deliverEndOfBurst;
    private LinkWriter? _burstWriter; // the host's reader thread only
    private int _delivering;

    public ResilientChannel(IRemoteChannel first, Func<CancellationToken, Task<IRemoteChannel>> connect, ResilienceOptions options, ILogger logger, TimeProvider? time = null)
    {
        _link = first;
        _writer = new LinkWriter(first, reason => OnLinkLost(0, reason));
        _connect = connect;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _lastReceived = _time.GetTimestamp();
        StartPump(first, _generation);
        if (options.Keepalive > TimeSpan.Zero)
        {
            _ = Task.Run(KeepaliveLoopAsync);
        }
    }

    /// <summary>The session's state for replays (exposed for tests).</summary>
    public SessionReplay Replay { get; } = new();

    /// <summary>Set when reconnecting stopped for a reason the host should see as the exit cause (a changed host key).</summary>
    public Exception? StopFailure { get; private set; }

    public PipeReader Output => _output.Reader;

    public bool CanHalfClose
    {
        get
        {
            lock (_lock)
            {
                return _link.CanHalfClose;
            }
        }
    }

    public string CloseReason
    {
        get
        {
            lock (_lock)
            {
                return _closeReason;
            }
        }
    }

    /// <summary>A frame from the host: sent now when connected; a request waits (bounded) while reconnecting; a notification is dropped then.</summary>
    public void SendFrame(ReadOnlySequence<byte> frame, in FrameInfo info)
    {
        LinkWriter writer;
        lock (_lock)
        {
            // Noted under the lock, so a listen is either waiting here or open in the replay's snapshot, never both.
            bool cancelsListen = info.CancelledRequestId is { } listen && Replay.Listens.IsOpen(listen);
            Replay.OnHostFrame(info, frame);
            if (info.CancelledRequestId is { } cancelled)
            {
                _sentInFlight.Remove(cancelled);
                if (_waiting.RemoveAll(w => w.Id == cancelled) > 0)
                {
                    return; // never sent: nothing to cancel on the server
                }
            }

            if (_state != LinkState.Connected)
            {
                if (info.Kind == FrameKind.Request && _state != LinkState.Stopped)
                {
                    _waiting.Add((info.Id!, frame.ToArray()));
                    _ = ExpireLaterAsync(info.Id!);
                }
                else if (cancelsListen && _state != LinkState.Stopped)
                {
                    _cancelsAfterReplay.Add(frame.ToArray());
                }
                else
                {
                    _logger.LogDroppedNotification(info.Method ?? "a message", _options.Endpoint);
                }

                return;
            }

            if (info.Kind == FrameKind.Request)
            {
                _sentInFlight.Add(info.Id!);
            }

            writer = _writer;
        }

        // Held back until the end of the burst, or queued; a failed write is a lost link (the writer reports it).
        _burstWriter = writer;
        writer.Send(frame);
    }

    /// <summary>The host's frames read together (held back by <see cref="SendFrame"/>) go out in one write.</summary>
    public void EndOfBurst() => _burstWriter?.EndOfBurst();

    public void CompleteInput()
    {
        LinkWriter writer;
        lock (_lock)
        {
            _closing = true; // the session is ending: the link's end is expected, not a loss
            writer = _writer;
        }

        writer.CompleteInput();
    }

    public async ValueTask DisposeAsync()
    {
        IRemoteChannel link;
        lock (_lock)
        {
            _closing = true;
            _state = LinkState.Stopped;
            link = _link;
            _writer.Stop();
        }

        await _shutdown.CancelAsync();
        await link.DisposeAsync();
        CompleteOutput();
    }

    private void StartPump(IRemoteChannel link, int generation) => _ = Task.Run(async () =>
    {
        string? error = null;
        try
        {
            await FramePump.RunAsync(link.Output, _options.MaxFrameBytes, (status, frame) => OnLinkFrame(generation, status, frame), _shutdown.Token, EndOfOutputBurst);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error = ex.Message;
        }

        OnLinkLost(generation, error ?? link.CloseReason);
    });

    private bool OnLinkFrame(int generation, FrameReadStatus status, ReadOnlySequence<byte> frame)
    {
        lock (_lock)
        {
            if (generation != _generation)
            {
                return false; // a replaced link's late bytes
            }

            _lastReceived = _time.GetTimestamp();
            _unansweredProbes = 0;
            _writer.Heard();
        }

        if (status == FrameReadStatus.Oversized)
        {
            // Only the head arrived here; passing it on would read as garbage. Answer its request, as the relay would.
            string? id = FrameInspector.TryRecoverId(frame);
            _logger.LogOversizedFrameFromRemote(_options.Endpoint, _options.MaxFrameBytes, id ?? "null");
            bool pending;
            lock (_lock)
            {
                pending = id is not null && _sentInFlight.Remove(id);
            }

            if (pending)
            {
                Replay.Listens.Close(id); // answered here, so over for the host
                WriteOutput(JsonRpcErrorWriter.Write(id, JsonRpcErrorCode.InternalError,
                    $"the server's answer was larger than the relay's limit of {_options.MaxFrameBytes} bytes (mcp-ssh --max-frame-bytes)"));
            }

            return true;
        }

        FrameInspection inspection = default;
        if (status == FrameReadStatus.Frame)
        {
            inspection = FrameInspector.Inspect(frame, captureMethod: true);
            FrameInfo info = inspection.Info;
            if (inspection.IsValid && SessionReplay.IsPrivateId(info.Id))
            {
                // Keepalive and replay traffic is the relay's own (a far end that echoes, like `cat`, sends requests back).
                TaskCompletionSource<byte[]>? echoed = null;
                lock (_lock)
                {
                    if (info.Kind == FrameKind.Response)
                    {
                        _privateAnswers.Remove(info.Id!, out echoed);
                    }
                }

                echoed?.TrySetResult(frame.ToArray());
                return true;
            }

            if (inspection.IsValid && info.Kind == FrameKind.Notification && info.Method == McpMethods.SubscriptionsAcknowledged
                && OpenListens.SubscriptionIdOf(frame) is { } subscription)
            {
                TaskCompletionSource<bool>? replayed;
                lock (_lock)
                {
                    _listenReplays.Remove(subscription, out replayed);
                }

                if (replayed is not null)
                {
                    // The host had its acknowledgement when it opened the listen; this one is for our re-send.
                    replayed.TrySetResult(true);
                    return true;
                }
            }

            if (inspection.IsValid && info.Kind == FrameKind.Response)
            {
                TaskCompletionSource<bool>? replayed;
                lock (_lock)
                {
                    _sentInFlight.Remove(info.Id!);
                    _listenReplays.Remove(info.Id!, out replayed);
                }

                Replay.OnRemoteFrame(info, frame);
                replayed?.TrySetResult(false); // a re-sent listen the server refused or ended: the host gets its answer below
            }
        }

        // Everything else, including what the relay will reject, goes on whole (with what checking it found).
        WriteOutput(frame, inspection);
        return true;
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
                // Open listens are not failed: they are re-sent on the next link under the host's id.
                failed = [.. _sentInFlight.Where(id => !Replay.Listens.IsOpen(id))];
                _sentInFlight.Clear();
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

    private async Task ReconnectLoopAsync()
    {
        long lostAt = _time.GetTimestamp();
        for (int attempt = 0; !_shutdown.IsCancellationRequested; attempt++)
        {
            TimeSpan delay = Backoff.Delay(attempt, Random.Shared.NextDouble());
            _logger.LogReconnecting(_options.Endpoint, delay.TotalSeconds, attempt + 1);
            IRemoteChannel link;
            try
            {
                await Task.Delay(delay, _time, _shutdown.Token);
                link = await _connect(_shutdown.Token);
            }
            catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (_options.StopsReconnecting(ex))
                {
                    Stop(ex);
                    return;
                }

                _logger.LogReconnectFailed(attempt + 1, _options.Endpoint, ex.Message);
                continue;
            }

            int generation;
            LinkWriter writer;
            lock (_lock)
            {
                if (_closing)
                {
                    _ = Task.Run(async () => await link.DisposeAsync());
                    return;
                }

                generation = ++_generation;
                _link = link;
                _writer = writer = new LinkWriter(link, reason => OnLinkLost(generation, reason));
                _state = LinkState.Replaying;
                _lastReceived = _time.GetTimestamp();
                _unansweredProbes = 0;
            }

            StartPump(link, generation);
            var listens = new HashSet<string>(StringComparer.Ordinal);
            string? replayed = await ReplayAsync(writer, generation, listens);
            if (replayed is null)
            {
                lock (_lock)
                {
                    _state = LinkState.Disconnected;
                }

                writer.Stop();
                _ = Task.Run(async () => await link.DisposeAsync());
                continue;
            }

            List<(string Id, byte[] Frame)> waiting;
            List<byte[]> cancels;
            lock (_lock)
            {
                if (generation != _generation || _state != LinkState.Replaying)
                {
                    continue; // lost again while replaying
                }

                _state = LinkState.Connected;
                _reconnecting = false;
                waiting = [.. _waiting];
                _waiting.Clear();
                foreach ((string id, _) in waiting)
                {
                    _sentInFlight.Add(id);
                }

                cancels = [.. _cancelsAfterReplay];
                _cancelsAfterReplay.Clear();
            }

            _logger.LogReconnected(_options.Endpoint, _time.GetElapsedTime(lostAt).TotalSeconds, replayed);
            foreach (byte[] notification in Replay.ListChangedNotifications(listens))
            {
                WriteOutput(notification);
            }

            foreach (byte[] cancel in cancels)
            {
                writer.Enqueue(new ReadOnlySequence<byte>(cancel));
            }

            foreach ((_, byte[] frame) in waiting)
            {
                writer.Enqueue(new ReadOnlySequence<byte>(frame));
            }

            return;
        }
    }

    /// <summary>Replays the session on a new link; returns what was replayed, or null if the link failed meanwhile.</summary>
    /// <param name="listens">Filled with the ids of the listens re-established (re-sent and acknowledged).</param>
    private async Task<string?> ReplayAsync(LinkWriter writer, int generation, HashSet<string> listens)
    {
        var done = new List<string>();
        foreach ((string? privateId, byte[] frame, string what) in Replay.Frames())
        {
            TaskCompletionSource<byte[]>? answer = null;
            if (privateId is not null)
            {
                answer = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (_lock)
                {
                    _privateAnswers[privateId] = answer;
                }
            }

            try
            {
                writer.Enqueue(new ReadOnlySequence<byte>(frame));
                if (answer is not null)
                {
                    byte[] response = await answer.Task.WaitAsync(_options.ReplayTimeout, _time, _shutdown.Token);
                    if (what == McpMethods.Initialize && Replay.DescribeChange(ResultOf(response)) is { } change)
                    {
                        _logger.LogReplayChanged(change);
                    }
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogReplayFailed(what, ex is TimeoutException ? $"no answer within {_options.ReplayTimeout.TotalSeconds:0} s" : ex.Message);
                lock (_lock)
                {
                    if (privateId is not null)
                    {
                        _privateAnswers.Remove(privateId);
                    }
                }

                return null;
            }

            done.Add(what);
        }

        List<OpenListen> open;
        lock (_lock)
        {
            // A listen that came while disconnected was never sent: it goes out with the waiting requests, and
            // the host gets its acknowledgement as usual.
            open = [.. Replay.Listens.Snapshot().Where(l => !_waiting.Exists(w => w.Id == l.Id))];
        }

        foreach (OpenListen listen in open)
        {
            string? outcome = await ReplayListenAsync(writer, generation, listen, listens);
            if (outcome is null)
            {
                return null;
            }

            done.Add(outcome);
        }

        lock (_lock)
        {
            return generation == _generation ? (done.Count == 0 ? "nothing (the host had not initialized or opened a listen)" : string.Join(", ", done)) : null;
        }
    }

    /// <summary>
    /// Re-sends an open listen as the host sent it, under the host's own id: the server then stamps what it
    /// delivers with that id, so the host's notifications resume with nothing rewritten, and the listen's final
    /// answer and the host's cancellation match it as before. The server's new acknowledgement is swallowed
    /// (the host had its own when it opened the listen); an answer instead means the server ended the listen,
    /// and goes to the host. Returns what was replayed, or null if the link failed or the server stayed silent.
    /// </summary>
    private async Task<string?> ReplayListenAsync(LinkWriter writer, int generation, OpenListen listen, HashSet<string> listens)
    {
        var acknowledged = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (generation != _generation)
            {
                return null;
            }

            _listenReplays[listen.Id] = acknowledged;
            _sentInFlight.Add(listen.Id);
        }

        string what = $"{McpMethods.Listen} {listen.Id}";
        try
        {
            writer.Enqueue(new ReadOnlySequence<byte>(listen.Frame));
            if (!await acknowledged.Task.WaitAsync(_options.ReplayTimeout, _time, _shutdown.Token))
            {
                return $"{what} (ended by the server)";
            }

            listens.Add(listen.Id);
            return what;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogReplayFailed(what, ex is TimeoutException ? $"no acknowledgement within {_options.ReplayTimeout.TotalSeconds:0} s" : ex.Message);
            lock (_lock)
            {
                _listenReplays.Remove(listen.Id);
            }

            return null;
        }
    }

    private async Task KeepaliveLoopAsync()
    {
        TimeSpan period = _options.Keepalive;
        while (!_shutdown.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, _time, _shutdown.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            LinkWriter writer;
            int generation;
            int probe;
            double idle;
            lock (_lock)
            {
                idle = _time.GetElapsedTime(_lastReceived).TotalSeconds;
                // While a frame waits for the host to read stdout the link's reader is held up too: not the link's fault.
                if (_state != LinkState.Connected || idle < period.TotalSeconds || Volatile.Read(ref _delivering) > 0)
                {
                    continue;
                }

                writer = _writer;
                generation = _generation;
                probe = ++_unansweredProbes;
            }

            if (probe > _options.KeepaliveCountMax)
            {
                OnLinkLost(generation, $"no answer to {_options.KeepaliveCountMax} keepalive probe(s) in {idle:0} s (the link is dead or the server is stuck)");
                continue;
            }

            // ping, or server/discover in a modern session (SessionReplay.KeepaliveProbe says why); any answer counts.
            byte[] probeFrame = Replay.KeepaliveProbe(Replay.NewPrivateId("keepalive"), out string method);
            _logger.LogKeepaliveProbe(probe, method, _options.Endpoint, idle);
            // Queued: behind a large frame to a far end that stopped reading it stays unanswered, and the count goes on.
            writer.Enqueue(new ReadOnlySequence<byte>(probeFrame));
        }
    }

    /// <summary>
    /// The host's reader thread may be inside a write to the lost link. Closing the link normally frees it; if it
    /// does not, nothing will (SSH.NET holds its socket lock), and the host's input would go unread for good:
    /// better to end the session with a clear error, so the host sees the server go.
    /// </summary>
    private async Task WatchStuckWriteAsync(LinkWriter writer)
    {
        long lostAt = _time.GetTimestamp();
        while (writer.InlineWriteStuckFor > TimeSpan.Zero)
        {
            TimeSpan stuck = writer.InlineWriteStuckFor;
            if (_time.GetElapsedTime(lostAt) >= _options.StuckWriteLimit)
            {
                Stop(new IOException($"a write to the lost connection to {_options.Endpoint} has been blocked for {stuck.TotalSeconds:0} s and holds the host's input; restart the session"));
                return;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, _options.StuckWriteLimit.TotalMilliseconds / 4)), _time, _shutdown.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>A request that arrived while disconnected and is still waiting after --reconnect-wait gets an error.</summary>
    private async Task ExpireLaterAsync(string id)
    {
        try
        {
            await Task.Delay(_options.ReconnectWait, _time, _shutdown.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        string reason;
        lock (_lock)
        {
            if (_waiting.RemoveAll(w => w.Id == id) == 0)
            {
                return;
            }

            reason = _lastLossReason;
        }

        Replay.Listens.Close(id); // a listen answered here is over for the host

        WriteOutput(JsonRpcErrorWriter.Write(id, JsonRpcErrorCode.ConnectionClosed,
            $"not connected to {_options.Endpoint} for {_options.ReconnectWait.TotalSeconds:0} s (lost: {reason}); the request was not sent. mcp-ssh keeps reconnecting"));
    }

    /// <summary>Reconnecting cannot go on (a changed host key, a stuck write): fail what waits and end the session.</summary>
    private void Stop(Exception cause)
    {
        List<(string Id, byte[] Frame)> waiting;
        lock (_lock)
        {
            _closing = true; // a reconnect that succeeds from here on is closed at once
            _state = LinkState.Stopped;
            _closeReason = cause.Message;
            StopFailure = cause;
            waiting = [.. _waiting];
            _waiting.Clear();
            _cancelsAfterReplay.Clear();
        }

        _logger.LogStoppedReconnecting(_options.Endpoint, cause.Message);
        foreach ((string id, _) in waiting)
        {
            WriteOutput(JsonRpcErrorWriter.Write(id, JsonRpcErrorCode.ConnectionClosed, $"mcp-ssh stopped reconnecting to {_options.Endpoint}: {cause.Message}"));
        }

        CompleteOutput();
    }

    private static JsonObject? ResultOf(byte[] response)
    {
        try
        {
            return JsonNode.Parse(response)?["result"] as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Frames go to the relay's handler (once it asked, <see cref="DeliverOutputAsync"/>) or into <see cref="Output"/>.</summary>
    public Task<bool> DeliverOutputAsync(InspectedFrameHandler handler, Action endOfBurst)
    {
        lock (_outputLock)
        {
            // What arrived before the relay asked is still in the pipe: hand it over first, in order.
            var framer = new Framing.LineFrameReader(_options.MaxFrameBytes);
            if (_output.Reader.TryRead(out ReadResult pending))
            {
                ReadOnlySequence<byte> buffer = pending.Buffer;
                bool hostThere = true;
                while (hostThere && framer.TryRead(ref buffer, out ReadOnlySequence<byte> frame) == FrameReadStatus.Frame)
                {
                    hostThere = handler(FrameReadStatus.Frame, frame, FrameInspector.Inspect(frame, captureMethod: true));
                }

                _output.Reader.AdvanceTo(buffer.Start);
                endOfBurst();
                if (!hostThere)
                {
                    _outputCompleted = true;
                    _delivered.TrySetResult(false);
                }
            }

            _deliver = handler;
            _deliverEndOfBurst = endOfBurst;
            if (_outputCompleted)
            {
                _delivered.TrySetResult(true); // no-op when the host was gone already
            }
        }

        return _delivered.Task;
    }

    /// <summary>One of our own frames (an error, a list_changed): on its own, so it goes to the host at once.</summary>
    private void WriteOutput(byte[] frame)
    {
        var bytes = new ReadOnlySequence<byte>(frame);
        WriteOutput(bytes, FrameInspector.Inspect(bytes, captureMethod: true));
        EndOfOutputBurst();
    }

    /// <summary>The frames a link read brought are all handed over: what the relay held back goes to the host.</summary>
    private void EndOfOutputBurst()
    {
        lock (_outputLock)
        {
            if (_deliverEndOfBurst is null)
            {
                return;
            }

            Interlocked.Increment(ref _delivering);
            try
            {
                _deliverEndOfBurst();
            }
            finally
            {
                Interlocked.Decrement(ref _delivering);
            }
        }
    }

    private void WriteOutput(ReadOnlySequence<byte> frame, in FrameInspection inspection)
    {
        lock (_outputLock)
        {
            if (_outputCompleted)
            {
                return;
            }

            // The relay runs here, on this thread: the call returns once the frame is on stdout (a host that
            // stops reading holds it, and keepalive does not count that against the link).
            Interlocked.Increment(ref _delivering);
            try
            {
                if (_deliver is not null)
                {
                    if (!_deliver(FrameReadStatus.Frame, frame, inspection))
                    {
                        _outputCompleted = true; // the host is gone
                        _delivered.TrySetResult(false);
                    }

                    return;
                }

                PipeWriter writer = _output.Writer;
                foreach (ReadOnlyMemory<byte> segment in frame)
                {
                    writer.Write(segment.Span);
                }

                writer.Write("\n"u8);
                ValueTask<FlushResult> flush = writer.FlushAsync();
                if (!flush.IsCompletedSuccessfully)
                {
                    flush.AsTask().GetAwaiter().GetResult();
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
                _output.Writer.Complete();
                if (_deliver is not null)
                {
                    _delivered.TrySetResult(true);
                }
            }
        }
    }
}
