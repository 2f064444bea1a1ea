using System.Buffers;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using Microsoft.Extensions.Logging;

namespace McpSsh.Resilience;

// Making a new link with backoff once one is lost; requests that wait meanwhile; giving up for good.
public sealed partial class ResilientChannel
{
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
                _writer = writer = new LinkWriter(link, reason => OnLinkLost(generation, reason), _time);
                _state = LinkState.Replaying;
                _lastReceived = _time.GetTimestamp();
                _unansweredProbes = 0;
                _probeOutstanding = false;
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
                RefuseOutputOf(generation);
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
                    InFlight.MarkSent(id, generation);
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
}
