using System.Text.Json.Nodes;

namespace McpSsh.Gateway;

/// <summary>
/// The gateway's id maps. Every request sent to a backend gets a gateway-unique id (hosts and backends each
/// number their own requests, so ids collide across backends); every request a backend sends to the host gets
/// one too. The maps answer: whose response is this, which backend holds the host's request N (to cancel
/// it), and what a backend was still owed when it died.
/// </summary>
internal sealed class RequestTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, PendingRequest> _pending = [];
    private readonly Dictionary<string, long> _byClientId = new(StringComparer.Ordinal);
    private readonly Dictionary<long, ServerRequest> _serverRequests = [];
    private long _nextId;
    private long _nextServerRequestId;

    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>A host request forwarded to <paramref name="backend"/>; returns the id to send it under.</summary>
    public long AddForwarded(Backend backend, string clientId)
    {
        lock (_lock)
        {
            long id = ++_nextId;
            _pending[id] = new PendingRequest(backend, clientId, null);
            _byClientId[CanonicalId(clientId)] = id;
            return id;
        }
    }

    /// <summary>The gateway's own request (initialize, a fanned-out list); the response completes <paramref name="completion"/>.</summary>
    public long AddOwn(Backend backend, TaskCompletionSource<BackendAnswer> completion)
    {
        lock (_lock)
        {
            long id = ++_nextId;
            _pending[id] = new PendingRequest(backend, null, completion);
            return id;
        }
    }

    /// <summary>A backend answered gateway id <paramref name="id"/>: who asked. False for unknown or forgotten ids.</summary>
    public bool TryComplete(long id, out PendingRequest pending)
    {
        lock (_lock)
        {
            if (!_pending.Remove(id, out pending!))
            {
                return false;
            }

            if (pending.ClientId is not null)
            {
                _byClientId.Remove(CanonicalId(pending.ClientId));
            }

            return true;
        }
    }

    /// <summary>The host cancelled its request <paramref name="clientId"/>: the backend and id it went out under; forgotten from now on.</summary>
    public bool TryCancel(JsonNode clientId, out long id, out PendingRequest pending)
    {
        lock (_lock)
        {
            pending = null!;
            return _byClientId.Remove(clientId.ToJsonString(), out id) && _pending.Remove(id, out pending!);
        }
    }

    /// <summary>Gives up waiting for gateway id <paramref name="id"/> (a timeout); a late answer is then dropped.</summary>
    public void Forget(long id)
    {
        lock (_lock)
        {
            _pending.Remove(id);
        }
    }

    /// <summary>A backend died: everything it still owed (to answer with errors), and its requests to the host are dropped.</summary>
    public List<PendingRequest> RemoveBackend(Backend backend)
    {
        lock (_lock)
        {
            var orphaned = new List<PendingRequest>();
            foreach ((long id, PendingRequest pending) in _pending.Where(p => p.Value.Backend == backend).ToList())
            {
                _pending.Remove(id);
                if (pending.ClientId is not null)
                {
                    _byClientId.Remove(CanonicalId(pending.ClientId));
                }

                orphaned.Add(pending);
            }

            foreach (long id in _serverRequests.Where(r => r.Value.Backend == backend).Select(r => r.Key).ToList())
            {
                _serverRequests.Remove(id);
            }

            return orphaned;
        }
    }

    /// <summary>A backend asks the host something (sampling, elicitation, roots...): the id the host sees.</summary>
    public long AddServerRequest(Backend backend, JsonNode? originalId)
    {
        lock (_lock)
        {
            long id = ++_nextServerRequestId;
            _serverRequests[id] = new ServerRequest(backend, originalId?.DeepClone());
            return id;
        }
    }

    /// <summary>The host answered gateway id <paramref name="id"/>: which backend asked and under which id of its own.</summary>
    public bool TryResolveServerRequest(long id, out ServerRequest request)
    {
        lock (_lock)
        {
            return _serverRequests.Remove(id, out request!);
        }
    }

    /// <summary>A backend cancels its own request <paramref name="originalId"/>: the id the host knows it by.</summary>
    public bool TryWithdrawServerRequest(Backend backend, JsonNode originalId, out long id)
    {
        lock (_lock)
        {
            id = _serverRequests.FirstOrDefault(r => r.Value.Backend == backend && JsonNode.DeepEquals(r.Value.OriginalId, originalId)).Key;
            return id != 0 && _serverRequests.Remove(id);
        }
    }

    /// <summary>One spelling per id (the host may escape a string id differently in a later message).</summary>
    private static string CanonicalId(string rawId) => JsonNode.Parse(rawId)?.ToJsonString() ?? "null";
}
