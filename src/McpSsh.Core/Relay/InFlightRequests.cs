namespace McpSsh.Relay;

/// <summary>
/// The one table of requests the host sent that are not answered yet. The relay adds each request before it
/// sends it and takes it out when the answer (or an error in its place) goes to the host, so that whatever is
/// left gets an error when the session's far end ends and so that shutdown can wait for the last answers. A
/// resilient channel shares the table (<see cref="Resilience.ResilientChannel"/>): it marks each request with
/// the link it went out on (<see cref="MarkSent"/>), so a lost link fails exactly its own requests
/// (<see cref="SentOn"/>), while those waiting for a new link stay. A long-lived request (MCP 2026-07-28
/// <c>subscriptions/listen</c>) is answered only when the server ends it, never because the host closed its
/// input: shutdown does not wait for it.
/// </summary>
public sealed class InFlightRequests
{
    /// <summary>The link of a request not sent on any link yet (waiting for one).</summary>
    public const int NotSent = -1;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private int _waitedFor;
    private TaskCompletionSource _empty = NewEmptySignal(completed: true);

    private readonly record struct Entry(bool LongLived, int Link);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <param name="longLived">True for a request that stays open for the session (<see cref="WhenEmpty"/> does not wait for it).</param>
    public void Add(string id, bool longLived = false)
    {
        lock (_lock)
        {
            if (!_entries.TryAdd(id, new Entry(longLived, NotSent)))
            {
                return;
            }

            if (!longLived && ++_waitedFor == 1)
            {
                _empty = NewEmptySignal(completed: false);
            }
        }
    }

    /// <summary>The request went out on link <paramref name="link"/> (a generation number). Unknown ids are ignored.</summary>
    public void MarkSent(string id, int link)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(id, out Entry entry))
            {
                _entries[id] = entry with { Link = link };
            }
        }
    }

    /// <summary>The requests sent on link <paramref name="link"/> and not answered, less those <paramref name="except"/> keeps (they stay as they are).</summary>
    public List<string> SentOn(int link, Func<string, bool>? except = null)
    {
        lock (_lock)
        {
            return [.. _entries.Where(e => e.Value.Link == link && !(except?.Invoke(e.Key) ?? false)).Select(e => e.Key)];
        }
    }

    public bool Contains(string id)
    {
        lock (_lock)
        {
            return _entries.ContainsKey(id);
        }
    }

    /// <summary>Marks a request answered (or cancelled by the host). Returns false for an id not in flight.</summary>
    public bool Remove(string id)
    {
        lock (_lock)
        {
            if (!_entries.Remove(id, out Entry entry))
            {
                return false;
            }

            if (!entry.LongLived && --_waitedFor == 0)
            {
                _empty.TrySetResult();
            }

            return true;
        }
    }

    /// <summary>Takes every id still waiting, leaving none.</summary>
    public IReadOnlyList<string> TakeAll()
    {
        lock (_lock)
        {
            var ids = _entries.Keys.ToList();
            _entries.Clear();
            _waitedFor = 0;
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
