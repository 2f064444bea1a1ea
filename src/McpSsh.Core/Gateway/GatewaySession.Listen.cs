using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;

namespace McpSsh.Gateway;

/// <summary>
/// Change notifications across eras. A modern host's subscriptions/listen is acknowledged with the honoured
/// merged subset and fanned out: a listen on each modern backend (its filter narrowed to what that backend
/// owns), resources/subscribe on legacy backends, whose unsolicited list_changed and resources/updated are
/// stamped with the host's listen id. A legacy host gets listens opened on modern backends for it (after
/// initialize, and per resources/subscribe), whose stamps are stripped. Listens are long-lived: never timed
/// out, never in the in-flight set a shutdown drains.
/// </summary>
public sealed partial class GatewaySession
{
    private readonly Dictionary<string, HostListen> _hostListens = new(StringComparer.Ordinal);
    private readonly List<ListenSpec> _listenSpecs = [];
    private readonly Dictionary<long, ListenSpec> _liveListens = [];
    private readonly Dictionary<string, ListenSpec> _legacyHostSubscriptions = new(StringComparer.Ordinal);

    /// <summary>Host listens not yet acknowledged (waiting for the backends), by id: how many. A cancel removes the id.</summary>
    private readonly Dictionary<string, int> _waitingListens = new(StringComparer.Ordinal);

    private async Task ListenAsync(string clientId, JsonObject parameters)
    {
        _clientInFlight.Remove(clientId); // long-lived: a shutdown does not wait for it
        if (parameters[McpFields.Notifications] is not JsonObject filter)
        {
            ReplyError(clientId, JsonRpcErrorCode.InvalidParams, "Invalid params: 'notifications' is required and must be a valid SubscriptionFilter");
            return;
        }

        string rawId = RequestId.Canonicalize(clientId) ?? clientId;
        lock (_lock)
        {
            _waitingListens[rawId] = _waitingListens.GetValueOrDefault(rawId) + 1;
        }

        var uris = filter[McpFields.ResourceSubscriptions] is JsonArray list ? list.Select(JsonText.String).OfType<string>().Distinct(StringComparer.Ordinal).ToList() : [];
        bool cancelled;
        try
        {
            await WhenInitialized();
            if (uris.Any(u => !TryFindResourceOwner(u, out _)))
            {
                await RefreshViewsAsync();
            }
        }
        finally
        {
            lock (_lock)
            {
                cancelled = !_waitingListens.TryGetValue(rawId, out int waiting);
                if (waiting > 1)
                {
                    _waitingListens[rawId] = waiting - 1;
                }
                else
                {
                    _waitingListens.Remove(rawId);
                }
            }
        }

        if (cancelled)
        {
            return; // the host cancelled it while it waited: nothing is acknowledged or opened
        }

        List<Backend> ready = ReadyBackends();
        bool Asked(string key) => filter[key] is JsonValue v && v.TryGetValue(out bool b) && b;
        bool Offered(Backend b, string capability, string flag) => OffersFlag(b, capability, flag);
        var owned = uris.Select(u => (Uri: u, Owner: TryFindResourceOwner(u, out Backend? o) ? o : null))
            .Where(u => u.Owner is not null && Offered(u.Owner, "resources", "subscribe")).ToList();
        var host = new HostListen(
            rawId,
            Asked(McpFields.ToolsListChanged) && ready.Any(b => Offered(b, "tools", "listChanged")),
            Asked(McpFields.PromptsListChanged) && ready.Any(b => Offered(b, "prompts", "listChanged")),
            Asked(McpFields.ResourcesListChanged) && ready.Any(b => Offered(b, "resources", "listChanged")),
            [.. owned.Select(o => o.Uri)]);

        // A host that reuses the id of a listen still open replaces it: the old one's backend parts end, or they
        // would outlive the one cancel the host sends for that id and keep notifying under it.
        CloseOpenHostListen(host.RawId);
        lock (_lock)
        {
            _hostListens[host.RawId] = host;
        }

        var honoured = new JsonObject();
        foreach ((string key, bool on) in new[] { (McpFields.ToolsListChanged, host.Tools), (McpFields.PromptsListChanged, host.Prompts), (McpFields.ResourcesListChanged, host.Resources) })
        {
            if (on)
            {
                honoured[key] = true;
            }
        }

        if (host.Uris.Count > 0)
        {
            honoured[McpFields.ResourceSubscriptions] = new JsonArray([.. host.Uris.Select(u => JsonValue.Create(u))]);
        }

        WriteNotification(McpMethods.SubscriptionsAcknowledged, JsonSerializer.SerializeToNode(
            new SubscriptionsAcknowledgedParams(honoured, new ResultMeta(null, JsonNode.Parse(host.RawId))), JsonRpcJsonContext.Default.SubscriptionsAcknowledgedParams)!.AsObject());

        foreach (Backend backend in ready)
        {
            var mine = owned.Where(o => o.Owner == backend).Select(o => o.Uri).ToList();
            if (backend.Era == McpEra.Legacy)
            {
                mine.ForEach(uri => AddSpec(new ListenSpec(backend, host, null, uri)));
                continue;
            }

            var narrowed = new JsonObject();
            foreach ((string key, bool on, string capability) in new[] { (McpFields.ToolsListChanged, host.Tools, "tools"), (McpFields.PromptsListChanged, host.Prompts, "prompts"), (McpFields.ResourcesListChanged, host.Resources, "resources") })
            {
                if (on && Offered(backend, capability, "listChanged"))
                {
                    narrowed[key] = true;
                }
            }

            if (mine.Count > 0)
            {
                narrowed[McpFields.ResourceSubscriptions] = new JsonArray([.. mine.Select(u => JsonValue.Create(u))]);
            }

            if (narrowed.Count > 0)
            {
                AddSpec(new ListenSpec(backend, host, narrowed, null));
            }
        }
    }

    /// <summary>A legacy host was initialized: it expects unsolicited list_changed, which modern backends send only through a listen.</summary>
    private void OpenLegacyHostListens()
    {
        foreach (Backend backend in ReadyBackends().Where(b => b.Era == McpEra.Modern))
        {
            var filter = new JsonObject();
            foreach ((string key, string capability) in new[] { (McpFields.ToolsListChanged, "tools"), (McpFields.PromptsListChanged, "prompts"), (McpFields.ResourcesListChanged, "resources") })
            {
                if (OffersFlag(backend, capability, "listChanged"))
                {
                    filter[key] = true;
                }
            }

            if (filter.Count > 0)
            {
                AddSpec(new ListenSpec(backend, null, filter, null));
            }
        }
    }

    /// <summary>True when the backend's capability object sets the flag true; a capability that is not an object offers nothing.</summary>
    private static bool OffersFlag(Backend backend, string capability, string flag) =>
        (backend.Capabilities?[capability] as JsonObject)?[flag] is JsonValue v && v.TryGetValue(out bool on) && on;

    /// <summary>resources/subscribe and unsubscribe from a legacy host: passed to a legacy owner, a listen on a modern one.</summary>
    private async Task LegacySubscribeAsync(string clientId, string method, JsonObject request)
    {
        var parameters = request["params"] as JsonObject;
        Backend? owner = await FindOwnerAsync(method, parameters);
        if (owner is null || owner.Era != McpEra.Modern || JsonText.String(parameters?["uri"]) is not { } uri)
        {
            await RouteAsync(clientId, method, request);
            return;
        }

        ListenSpec? previous;
        lock (_lock)
        {
            _legacyHostSubscriptions.Remove(uri, out previous);
        }

        if (previous is not null)
        {
            RemoveSpec(previous);
        }

        if (method == McpMethods.ResourcesSubscribe)
        {
            var spec = new ListenSpec(owner, null, new JsonObject { [McpFields.ResourceSubscriptions] = new JsonArray(uri) }, null);
            lock (_lock)
            {
                _legacyHostSubscriptions[uri] = spec;
            }

            AddSpec(spec);
        }

        ReplyResult(clientId, new JsonObject());
    }

    private void AddSpec(ListenSpec spec)
    {
        lock (_lock)
        {
            // Listens are opened on tasks of their own: a host listen closed (cancelled, or replaced by one reusing
            // its id) while its parts were still being added gets no more parts, or they would outlive its close.
            if (spec.Host is { } host && !IsOpen(host))
            {
                return;
            }

            _listenSpecs.Add(spec);
        }

        Open(spec);
    }

    /// <summary>Whether this very host listen (not another one under the same id) is still open. Call under the lock.</summary>
    private bool IsOpen(HostListen host) => _hostListens.TryGetValue(host.RawId, out HostListen? open) && ReferenceEquals(open, host);

    /// <summary>Opens a spec on its backend: a listen request that is never timed out, or a legacy resources/subscribe.</summary>
    private void Open(ListenSpec spec)
    {
        if (spec.LegacyUri is { } uri)
        {
            _ = RequestAsync(spec.Backend, McpMethods.ResourcesSubscribe, new JsonObject { ["uri"] = uri });
            return;
        }

        var completion = new TaskCompletionSource<BackendAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        long id = _requests.AddOwn(spec.Backend, completion);
        bool stillWanted;
        lock (_lock)
        {
            // Removed between being added and being opened (its host listen closed): never sent.
            stillWanted = _listenSpecs.Contains(spec);
            if (stillWanted)
            {
                spec.LiveId = id;
                _liveListens[id] = spec;
            }
        }

        if (!stillWanted)
        {
            _requests.Forget(id);
            return;
        }

        // The backend ends it with a result (it closed) or the gateway's id table fails it (the backend exited).
        completion.Task.ContinueWith(_ =>
        {
            lock (_lock)
            {
                _liveListens.Remove(id);
                if (spec.LiveId == id)
                {
                    spec.LiveId = null;
                }
            }
        }, TaskScheduler.Default);

        JsonObject request = Contracts.Node(new JsonRpcRequest(id, McpMethods.Listen,
            Envelope.Add(new JsonObject { [McpFields.Notifications] = spec.Filter!.DeepClone() }, OwnEnvelope())), JsonRpcJsonContext.Default.JsonRpcRequest);
        SendToBackend(spec.Backend, request);
    }

    /// <summary>Ends a spec: the backend listen is cancelled (no answer comes), a legacy subscription unsubscribed.</summary>
    private void RemoveSpec(ListenSpec spec)
    {
        long? live;
        lock (_lock)
        {
            _listenSpecs.Remove(spec);
            live = spec.LiveId;
            spec.LiveId = null;
            if (live is { } id)
            {
                _liveListens.Remove(id);
            }
        }

        if (spec.LegacyUri is { } uri)
        {
            _ = RequestAsync(spec.Backend, McpMethods.ResourcesUnsubscribe, new JsonObject { ["uri"] = uri });
        }
        else if (live is { } id)
        {
            _requests.Forget(id);
            SendToBackend(spec.Backend, Notification(McpMethods.Cancelled, Envelope.Add(new JsonObject { ["requestId"] = id }, OwnEnvelope())));
        }
    }

    /// <summary>The host cancelled one of its listens: every backend part ends, nothing is answered. False: not a listen.</summary>
    private bool TryCloseHostListen(string requestId)
    {
        string rawId = RequestId.Canonicalize(requestId) ?? requestId;
        bool waiting;
        lock (_lock)
        {
            waiting = _waitingListens.Remove(rawId);
        }

        return CloseOpenHostListen(rawId) || waiting;
    }

    /// <summary>Ends the acknowledged host listen under that canonical id, if one is open.</summary>
    private bool CloseOpenHostListen(string rawId)
    {
        HostListen? host;
        List<ListenSpec> specs;
        lock (_lock)
        {
            if (!_hostListens.Remove(rawId, out host))
            {
                return false;
            }

            specs = _listenSpecs.Where(s => s.Host == host).ToList();
        }

        specs.ForEach(RemoveSpec);
        return true;
    }

    /// <summary>A restarted backend gets its listens and subscriptions again, so the host's notifications resume.</summary>
    private void ReopenListens(Backend backend)
    {
        List<ListenSpec> specs;
        lock (_lock)
        {
            specs = _listenSpecs.Where(s => s.Backend == backend).ToList();
        }

        specs.ForEach(Open);
    }
}
