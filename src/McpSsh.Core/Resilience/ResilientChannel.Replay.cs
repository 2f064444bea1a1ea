using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;
using Microsoft.Extensions.Logging;

namespace McpSsh.Resilience;

// Replaying the host's session on a new link before anything else is sent on it.
public sealed partial class ResilientChannel
{
    // Answers awaited by the replay, by private id (keepalive answers are swallowed without a waiter).
    private readonly Dictionary<string, TaskCompletionSource<byte[]>> _privateAnswers = new(StringComparer.Ordinal);
    // Listens re-sent on a new link, by the host's id: true when the server acknowledged, false when it answered (ended it).
    private readonly Dictionary<string, TaskCompletionSource<bool>> _listenReplays = new(StringComparer.Ordinal);
    // The host's cancellations of open listens that came while not connected: sent after the replay, which may have re-opened them.
    private readonly List<byte[]> _cancelsAfterReplay = [];

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

        List<OpenListen> open = [];
        foreach (OpenListen listen in Replay.Listens.Snapshot())
        {
            if (!InFlight.Contains(listen.Id))
            {
                // The relay answered it in the server's place (an answer over the limit, a malformed one): over.
                Replay.Listens.Close(listen.Id);
                continue;
            }

            lock (_lock)
            {
                // A listen that came while disconnected was never sent: it goes out with the waiting requests, and
                // the host gets its acknowledgement as usual.
                if (!_waiting.Exists(w => w.Id == listen.Id))
                {
                    open.Add(listen);
                }
            }
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
            InFlight.MarkSent(listen.Id, generation);
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
}
