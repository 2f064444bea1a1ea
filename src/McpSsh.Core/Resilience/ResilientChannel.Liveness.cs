using System.Buffers;
using Microsoft.Extensions.Logging;

namespace McpSsh.Resilience;

// Is the link alive? Keepalive probes when it is idle, and a host write that stays stuck on a lost link.
public sealed partial class ResilientChannel
{
    private long _lastReceived;
    private int _unansweredProbes;

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
            lock (_lock)
            {
                writer = _writer;
            }

            // The host is inside a streamed line and paused: a probe could only wait behind it, unsent, so it is not
            // sent or counted (the far end has taken every byte). A far end that stops reading is still caught: a
            // write of the line is then in progress or queued, and the probes count.
            if (writer.WaitsForHostMidLine)
            {
                continue;
            }

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
                _probeOutstanding = true; // its answer may be long: such a line is held, not streamed (HeldLine.cs)
                _probeSentAt = _time.GetTimestamp();
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
        // Null once no write is in progress; on a clock that has not moved since it began, a write is stuck for zero.
        while (writer.InlineWriteStuckFor is { } stuck)
        {
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
}
