namespace McpSsh.Relay;

/// <summary>
/// The ids of requests the host sent that the remote has not answered yet, so that each can get an error
/// when the link ends and so that shutdown can wait for the last answers. A long-lived request (MCP
/// 2026-07-28 <c>subscriptions/listen</c>) is answered only when the server ends it, never because the host
/// closed its input: it gets its error when the link ends, but shutdown does not wait for it.
/// </summary>
public sealed class InFlightRequests
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly HashSet<string> _longLived = new(StringComparer.Ordinal);
    private TaskCompletionSource _empty = NewEmptySignal(completed: true);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _ids.Count;
            }
        }
    }

    /// <param name="longLived">True for a request that stays open for the session (<see cref="WhenEmpty"/> does not wait for it).</param>
    public void Add(string id, bool longLived = false)
    {
        lock (_lock)
        {
            if (!_ids.Add(id))
            {
                return;
            }

            if (longLived)
            {
                _longLived.Add(id);
            }
            else if (_ids.Count - _longLived.Count == 1)
            {
                _empty = NewEmptySignal(completed: false);
            }
        }
    }

    public bool Contains(string id)
    {
        lock (_lock)
        {
            return _ids.Contains(id);
        }
    }

    /// <summary>Marks a request answered (or cancelled by the host). Unknown ids are ignored.</summary>
    public void Remove(string id)
    {
        lock (_lock)
        {
            if (_ids.Remove(id) && !_longLived.Remove(id) && _ids.Count - _longLived.Count == 0)
            {
                _empty.TrySetResult();
            }
        }
    }

    /// <summary>Takes every id still waiting, leaving none.</summary>
    public IReadOnlyList<string> TakeAll()
    {
        lock (_lock)
        {
            var ids = _ids.ToList();
            _ids.Clear();
            _longLived.Clear();
            _empty.TrySetResult();
            return ids;
        }
    }

    /// <summary>Completes when no request is waiting for an answer, long-lived ones aside.</summary>
    public Task WhenEmpty()
    {
        lock (_lock)
        {
            return _empty.Task;
        }
    }

    private static TaskCompletionSource NewEmptySignal(bool completed)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            signal.SetResult();
        }

        return signal;
    }
}
