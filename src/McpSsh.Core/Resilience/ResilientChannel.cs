using System.Buffers;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using Microsoft.Extensions.Logging;

namespace McpSsh.Resilience;

/// <summary>
/// A remote channel that outlives its links. To the relay it is one channel whose output never breaks; below,
/// SSH links come and go: a link is declared dead when it ends or stops answering keepalive probes; requests
/// sent on it are answered with -32000 at once; a new link is made with backoff, the MCP session is replayed
/// on it (<see cref="SessionReplay"/>), the host is told to re-list, and requests that waited are sent.
/// Each link pushes its frames whole (a link dying mid-frame never corrupts the next), inspected once by the link;
/// they go on to the relay's <see cref="IFrameReceiver"/> on the link's receive thread, the relay's own traffic
/// (probes, replay answers) taken out.
/// </summary>
/// <remarks>
/// One concern per file, each readable on its own:
/// <list type="bullet">
/// <item>this file: the link's state and sending the host's frames (held back until the host's end of burst);</item>
/// <item><c>ResilientChannel.Link.cs</c>: frames from the link, and what its loss means;</item>
/// <item><c>ResilientChannel.Reconnect.cs</c>: making a new link with backoff, waiting requests, stopping;</item>
/// <item><c>ResilientChannel.Replay.cs</c>: replaying the session on a new link (legacy handshake, open listens);</item>
/// <item><c>ResilientChannel.Liveness.cs</c>: keepalive probes and a host write stuck on a lost link;</item>
/// <item><c>ResilientChannel.Output.cs</c>: pushing frames to the relay, which asks once (<see cref="DeliverOutputAsync"/>); the
/// first link's output and keepalive start then, so nothing is read, or buffered, before.</item>
/// </list>
/// Requests in flight live in one table, the relay's (<see cref="InFlight"/>): the relay adds and answers them,
/// this channel marks the link each went out on. A line over the limit is the relay's to answer; this channel only
/// passes its head on. Writes to a link go through its <see cref="LinkWriter"/>.
/// All state that decides what happens to a frame is guarded by <c>_lock</c>; output by <c>_outputLock</c>, never
/// taken the other way round. Time comes from the <see cref="TimeProvider"/> given, so tests can drive it.
/// </remarks>
public sealed partial class ResilientChannel : IRemoteChannel
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
    private readonly Lock _lock = new();
    // Requests that came while not connected: sent after the replay, or failed after --reconnect-wait.
    private readonly List<(string Id, byte[] Frame)> _waiting = [];
    private readonly CancellationTokenSource _shutdown = new();
    private IRemoteChannel _link;
    private LinkWriter _writer;
    private LinkState _state = LinkState.Connected;
    private int _generation;
    private bool _reconnecting;
    private bool _closing;
    private string _lastLossReason = "";
    private string _closeReason = "the connection ended";
    private LinkWriter? _burstWriter; // the host's reader thread only

    /// <param name="inFlight">The relay's in-flight table (give the same to <see cref="RelaySession"/>): requests are marked with the link they went out on, so a lost link fails its own.</param>
    public ResilientChannel(IRemoteChannel first, Func<CancellationToken, Task<IRemoteChannel>> connect, ResilienceOptions options, ILogger logger, TimeProvider? time = null, InFlightRequests? inFlight = null)
    {
        InFlight = inFlight ?? new InFlightRequests();
        _time = time ?? TimeProvider.System;
        _link = first;
        _writer = new LinkWriter(first, reason => OnLinkLost(0, reason), _time);
        _connect = connect;
        _options = options;
        _logger = logger;
    }

    /// <summary>The requests the host sent and has no answer to, shared with the relay; the relay adds and removes, this channel marks links.</summary>
    public InFlightRequests InFlight { get; }

    /// <summary>The session's state for replays (exposed for tests).</summary>
    public SessionReplay Replay { get; } = new();

    /// <summary>Set when reconnecting stopped for a reason the host should see as the exit cause (a changed host key).</summary>
    public Exception? StopFailure { get; private set; }

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
                InFlight.MarkSent(info.Id!, _generation); // the relay added it; a loss of this link fails it
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
}
