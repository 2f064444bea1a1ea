using System.Text.Json.Nodes;
using McpSsh.JsonRpc;

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
    public long AddForwarded(Backend backend, string clientId, string? method = null, JsonObject? request = null)
    {
        lock (_lock)
        {
            long id = ++_nextId;
            _pending[id] = new PendingRequest(backend, clientId, null, method, request);
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
    public bool TryComplete(long id, out PendingRequest pending) => TryComplete(id, null, out pending);

    /// <summary>
    /// As <see cref="TryComplete(long, out PendingRequest)"/>, but only when <paramref name="from"/> is the backend the
    /// request went to: one backend cannot answer (or fail) another's request.
    /// </summary>
    public bool TryComplete(long id, Backend? from, out PendingRequest pending)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(id, out pending!) || (from is not null && pending.Backend != from))
            {
                return false;
            }

            _pending.Remove(id);

            if (pending.ClientId is not null)
            {
                _byClientId.Remove(CanonicalId(pending.ClientId));
            }

            return true;
        }
    }

    /// <summary>The host cancelled its request <paramref name="clientId"/>: the backend and id it went out under; forgotten from now on.</summary>
    public bool TryCancel(string clientId, out long id, out PendingRequest pending)
    {
        lock (_lock)
        {
            pending = null!;
            return _byClientId.Remove(CanonicalId(clientId), out id) && _pending.Remove(id, out pending!);
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
    public long AddServerRequest(Backend backend, string originalId)
    {
        lock (_lock)
        {
            long id = ++_nextServerRequestId;
            _serverRequests[id] = new ServerRequest(backend, CanonicalId(originalId));
            return id;
        }
    }

    /// <summary>The gateway's own request to the host (it fulfils a modern backend's input_required): the id the host sees.</summary>
    public long AddHostRequest(TaskCompletionSource<BackendAnswer> completion)
    {
        lock (_lock)
        {
            long id = ++_nextServerRequestId;
            _serverRequests[id] = new ServerRequest(null, "", completion);
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
    public bool TryWithdrawServerRequest(Backend backend, string originalId, out long id)
    {
        string key = CanonicalId(originalId);
        lock (_lock)
        {
            id = _serverRequests.FirstOrDefault(r => r.Value.Backend == backend && r.Value.OriginalId == key).Key;
            return id != 0 && _serverRequests.Remove(id);
        }
    }

    /// <summary>
    /// One spelling per id (the host may escape a string id differently in a later message), made from the
    /// raw text without decoding it (<see cref="RequestId"/>), so even a lone surrogate cannot throw here.
    /// </summary>
    private static string CanonicalId(string rawId) => RequestId.Canonicalize(rawId) ?? rawId;
}
