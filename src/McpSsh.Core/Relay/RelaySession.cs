using System.Buffers;
using System.IO.Pipelines;
using McpSsh.JsonRpc;
using Microsoft.Extensions.Logging;

namespace McpSsh.Relay;

/// <summary>
/// Moves newline-delimited JSON-RPC frames between the host (stdin/stdout) and a remote channel, both ways at
/// once, byte for byte. Frames are checked, never re-serialised. Tracks in-flight request ids so that no
/// request is left without an answer when the remote side ends.
/// </summary>
public sealed partial class RelaySession
{
    private readonly PipeReader _hostInput;
    private readonly IFrameSink _hostOutput;
    private readonly IRemoteChannel _channel;
    private readonly RelayOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly bool _trace;
    private Exception? _hostWriteError;
    private Exception? _channelWriteError;
    private readonly TaskCompletionSource _firstFrameSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ToolFilterStage? _tools;

    /// <param name="inFlight">The in-flight table, when the channel shares it (a resilient channel fails a lost link's requests from it); else the relay's own.</param>
    public RelaySession(PipeReader hostInput, IFrameSink hostOutput, IRemoteChannel channel, RelayOptions options, ILogger logger, TimeProvider? time = null, InFlightRequests? inFlight = null)
    {
        InFlight = inFlight ?? new InFlightRequests();
        _hostInput = hostInput;
        _hostOutput = hostOutput;
        _channel = channel;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _trace = logger.IsEnabled(LogLevel.Trace);
        _tools = ToolFilterStage.For(options.ToolFilter);
    }

    /// <summary>Requests sent and not answered: the one table (see <see cref="InFlightRequests"/>).</summary>
    public InFlightRequests InFlight { get; }

    /// <summary>
    /// Runs until one side ends. <paramref name="stop"/> (SIGTERM/SIGINT) is treated like the host closing stdin.
    /// </summary>
    public async Task<RelayResult> RunAsync(CancellationToken stop)
    {
        // The channel pushes its frames (RelaySession.Remote.cs) from here on; nothing of its output was read before.
        Task<bool> fromRemote = _channel.DeliverOutputAsync(this);
        Task<bool> fromHost = Task.Run(() => PumpHostAsync(stop));
        Task stopped = Task.Delay(Timeout.Infinite, stop).ContinueWith(static _ => { }, TaskScheduler.Default);
        Task idle = _options.FirstFrameTimeout is { } bound ? FirstFrameDeadlineAsync(bound) : Task.Delay(Timeout.Infinite, CancellationToken.None);

        // Forced onto the thread pool: the remote pump may run inline on a channel's reader thread (an SSH.NET
        // thread included), which must not be the one that shuts the session down.
        Task first = await Task.WhenAny(fromHost, fromRemote, stopped, idle).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);

        if (first == fromRemote || _channelWriteError is not null)
        {
            return await RemoteEndedAsync(fromRemote);
        }

        if (_hostWriteError is not null)
        {
            return new RelayResult(RelayOutcome.HostWriteFailed, $"writing to the host failed: {_hostWriteError.Message}", 0);
        }

        // The host is done (stdin EOF) or we were asked to stop: let the remote answer what is in flight.
        _logger.LogHostInputEnded(InFlight.Count);
        await DrainAsync(fromRemote);
        _logger.LogShutdownDrain(InFlight.Count);
        return new RelayResult(RelayOutcome.HostClosed, "the host closed the session", 0);
    }

    /// <summary>
    /// Completes (logging why) only if no valid message came from the host within <paramref name="bound"/>; the
    /// session then ends as if stdin had closed. A stdin read does not honour cancellation, so this is a race
    /// the session watches, not a cancelled read.
    /// </summary>
    private async Task FirstFrameDeadlineAsync(TimeSpan bound)
    {
        Task deadline = Task.Delay(bound, _time);
        if (await Task.WhenAny(_firstFrameSeen.Task, deadline).ConfigureAwait(false) != deadline || _firstFrameSeen.Task.IsCompleted)
        {
            await Task.Delay(Timeout.Infinite, CancellationToken.None).ConfigureAwait(false); // the bound no longer applies
        }

        _logger.LogFirstFrameTimeout(bound.TotalSeconds);
    }

    private async Task DrainAsync(Task<bool> fromRemote)
    {
        // First the answers we expect: an MCP server may drop in-flight work on EOF (the C# SDK cancels it),
        // and a shell cannot half-close at all (closing drops output in flight).
        Task deadline = Task.Delay(_options.DrainTimeout, _time);
        await Task.WhenAny(InFlight.WhenEmpty(), fromRemote, deadline).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        if (_channel.CanHalfClose && !fromRemote.IsCompleted)
        {
            // Exec: EOF lets the server finish and exit; its exit ends the output.
            _channel.CompleteInput();
            await Task.WhenAny(fromRemote, deadline).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }
    }

    private async Task<RelayResult> RemoteEndedAsync(Task<bool> fromRemote)
    {
        string reason;
        try
        {
            // The remote pump may still be writing its last frames to the host; those answers count.
            await fromRemote.WaitAsync(_options.DrainTimeout, _time).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            reason = _channel.CloseReason;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            reason = _channelWriteError?.Message ?? ex.Message;
        }

        if (_hostWriteError is not null)
        {
            return new RelayResult(RelayOutcome.HostWriteFailed, $"writing to the host failed: {_hostWriteError.Message}", 0);
        }

        // A streamed line the remote left open (its pump did not end in time) must not hold the error answers back.
        _hostOutput.AbandonLine();
        _logger.LogRemoteEnded(_options.Endpoint, reason);
        int failed = FailInFlight($"connection to {_options.Endpoint} closed: {reason}");
        return new RelayResult(RelayOutcome.RemoteClosed, reason, failed);
    }

    /// <summary>Answers every request still in flight with a -32000 error, so no host call waits for a timeout.</summary>
    public int FailInFlight(string message)
    {
        IReadOnlyList<string> ids = InFlight.TakeAll();
        foreach (string id in ids)
        {
            WriteToHost(JsonRpcErrorWriter.Write(id, JsonRpcErrorCode.ConnectionClosed, message));
        }

        if (ids.Count > 0)
        {
            _logger.LogFailedInFlight(ids.Count, message);
        }

        return ids.Count;
    }

    private bool WriteToHost(byte[] frame) => WriteToHost(new ReadOnlySequence<byte>(frame));

    private bool WriteToHost(ReadOnlySequence<byte> frame, bool held = false)
    {
        try
        {
            if (held)
            {
                _hostOutput.WriteHeld(frame);
            }
            else
            {
                _hostOutput.Write(frame);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            _hostWriteError = ex;
            return false;
        }
    }

    private void FlushHost()
    {
        try
        {
            _hostOutput.Flush();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            _hostWriteError ??= ex;
        }
    }
}
