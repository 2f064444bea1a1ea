using System.Text.Json.Nodes;
using McpSsh.JsonRpc;
using Microsoft.Extensions.Logging;

namespace McpSsh.Gateway;

public sealed partial class GatewaySession
{
    /// <summary>The host's initialize goes to every backend at once; those that answer in time are merged.</summary>
    private async Task InitializeAsync(string clientId, JsonObject parameters)
    {
        lock (_lock)
        {
            _clientInitializeParams = (JsonObject)parameters.DeepClone();
        }

        List<Backend> starting = _backends.Where(b => b.State == BackendState.Starting).ToList();
        try
        {
            await Task.WhenAll(starting.Select(InitializeBackendAsync));
        }
        finally
        {
            _initializeDone.TrySetResult();
        }

        var answered = _backends.Where(b => b.State == BackendState.Ready).Select(b => (b.Name, b.InitializeResult!)).ToList();
        if (answered.Count == 0)
        {
            ReplyError(clientId, JsonRpcErrorCode.InternalError, "no backend could be initialized: "
                + string.Join("; ", _backends.Select(b => $"{b.Name}: {b.FailureReason}")));
            return;
        }

        InitializeMerger.Outcome merged = InitializeMerger.Merge(answered, _options.Version);
        if (merged.VersionWarning is not null)
        {
            _logger.LogProtocolVersionMismatch(merged.VersionWarning, merged.Result["protocolVersion"]!.GetValue<string>());
        }

        lock (_lock)
        {
            _mergedCapabilities = merged.Result["capabilities"] as JsonObject;
        }

        _logger.LogMerged(answered.Count, string.Join(", ", answered.Select(a => a.Name)));
        ReplyResult(clientId, merged.Result);
    }

    /// <summary>Sends the host's initialize parameters to one backend; on success (and after a restart) also notifications/initialized.</summary>
    private async Task<bool> InitializeBackendAsync(Backend backend)
    {
        JsonObject? parameters;
        lock (_lock)
        {
            parameters = _clientInitializeParams;
        }

        JsonObject response = await RequestAsync(backend, "initialize", parameters);
        if (response["result"] is not JsonObject result)
        {
            string reason = response["error"]?["message"]?.GetValue<string>() ?? "no result";
            backend.State = BackendState.Failed;
            backend.FailureReason = $"initialize failed: {reason}";
            _logger.LogBackendLeftOut(backend.Name, backend.FailureReason);
            if (backend.Process is { } process)
            {
                _ = process.StopAsync();
            }

            return false;
        }

        bool clientInitialized;
        lock (_lock)
        {
            // Ready and the host's notifications/initialized are decided together: a backend gets it exactly
            // once, from the host's frame if it was ready then, else here (a late or restarted backend).
            backend.InitializeResult = result;
            backend.State = BackendState.Ready;
            clientInitialized = _clientInitialized;
        }

        if (clientInitialized)
        {
            SendToBackend(backend, new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "notifications/initialized" });
        }

        return true;
    }

    /// <summary>
    /// tools/list, prompts/list, resources/list and resources/templates/list: asked of every backend at once and
    /// merged in config order. Each backend's own pagination continues behind one composite cursor.
    /// </summary>
    private async Task ListAsync(string clientId, string method, string itemsKey, JsonObject? parameters)
    {
        Dictionary<string, string>? cursors = null;
        if (parameters?["cursor"] is JsonValue cursorValue)
        {
            if (!CompositeCursor.TryDecode(cursorValue.GetValue<string>(), out cursors))
            {
                ReplyError(clientId, JsonRpcErrorCode.InvalidParams, $"{method}: unknown cursor (cursors come from a previous {method} of this session)");
                return;
            }
        }

        List<Backend> targets = cursors is null
            ? await ReadyOrRestartedAsync()
            : _backends.Where(b => cursors.ContainsKey(b.Name) && b.State == BackendState.Ready).ToList();

        var pages = await Task.WhenAll(targets.Select(async b =>
        {
            JsonObject? pageParameters = parameters?.DeepClone() as JsonObject ?? [];
            pageParameters.Remove("cursor");
            if (cursors?.GetValueOrDefault(b.Name) is { } own)
            {
                pageParameters["cursor"] = own;
            }

            return (Backend: b, Response: await RequestAsync(b, method, pageParameters));
        }));

        var items = new JsonArray();
        var next = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((Backend backend, JsonObject response) in pages)
        {
            if (response["result"] is not JsonObject result)
            {
                continue; // a failing backend costs its own items, not the whole list
            }

            if (result[itemsKey] is JsonArray backendItems)
            {
                foreach (JsonNode? item in backendItems)
                {
                    if (item is JsonObject entry)
                    {
                        Adopt(backend, itemsKey, entry);
                        items.Add(entry.DeepClone());
                    }
                }
            }

            if (result["nextCursor"] is JsonValue nextValue && nextValue.TryGetValue(out string? nextCursor))
            {
                next[backend.Name] = nextCursor;
            }
        }

        var merged = new JsonObject { [itemsKey] = items };
        if (next.Count > 0)
        {
            merged["nextCursor"] = CompositeCursor.Encode(next);
        }

        ReplyResult(clientId, merged);
    }

    /// <summary>Records who owns an item and gives tools and prompts their merged names.</summary>
    private void Adopt(Backend backend, string itemsKey, JsonObject entry)
    {
        switch (itemsKey)
        {
            case "tools" when entry["name"] is JsonValue name:
                entry["name"] = _tools.Merge(backend.Name, name.GetValue<string>());
                break;
            case "prompts" when entry["name"] is JsonValue name:
                entry["name"] = _prompts.Merge(backend.Name, name.GetValue<string>());
                break;
            case "resources" when entry["uri"] is JsonValue uri:
                lock (_lock)
                {
                    _resourceOwners.TryAdd(uri.GetValue<string>(), backend);
                }

                break;
            case "resourceTemplates" when entry["uriTemplate"] is JsonValue template:
                lock (_lock)
                {
                    if (!_templates.Any(t => t.Template == template.GetValue<string>()))
                    {
                        _templates.Add((template.GetValue<string>(), backend));
                    }
                }

                break;
        }
    }

    /// <summary>Learns every backend's names and URIs (first pages) without answering the host.</summary>
    private async Task RefreshViewsAsync()
    {
        List<Backend> backends = await ReadyOrRestartedAsync();
        (string Method, string Key)[] lists = [("tools/list", "tools"), ("prompts/list", "prompts"), ("resources/list", "resources"), ("resources/templates/list", "resourceTemplates")];
        var answers = await Task.WhenAll(backends.SelectMany(b => lists.Select(async l => (Backend: b, l.Key, Response: await RequestAsync(b, l.Method, new JsonObject())))));

        // Adopted in config order, whatever order the answers came in, so clashing names are suffixed the same way every time.
        foreach ((Backend backend, string key, JsonObject response) in answers)
        {
            if (response["result"]?[key] is JsonArray items)
            {
                foreach (JsonObject entry in items.OfType<JsonObject>())
                {
                    Adopt(backend, key, entry);
                }
            }
        }
    }

    /// <summary>logging/setLevel and the like: every backend, one answer once all replied.</summary>
    private async Task BroadcastRequestAsync(string clientId, JsonObject request)
    {
        string method = request["method"]!.GetValue<string>();
        List<Backend> backends = await ReadyOrRestartedAsync();
        JsonObject[] responses = await Task.WhenAll(backends.Select(b => RequestAsync(b, method, request["params"])));
        JsonObject? success = responses.Select(r => r["result"]).OfType<JsonObject>().FirstOrDefault();
        if (success is not null || backends.Count == 0)
        {
            ReplyResult(clientId, success?.DeepClone() ?? new JsonObject());
        }
        else
        {
            ReplyError(clientId, JsonRpcErrorCode.InternalError, $"{method} failed on every backend: " + string.Join("; ", responses.Select(r => r["error"]?["message"]?.GetValue<string>())));
        }
    }

    /// <summary>The backends to ask: ready ones, plus exited ones restarted now if their backoff allows.</summary>
    private async Task<List<Backend>> ReadyOrRestartedAsync()
    {
        await WhenInitialized();
        List<Backend> exited;
        lock (_lock)
        {
            exited = _backends.Where(b => b.State == BackendState.Exited).ToList();
        }

        await Task.WhenAll(exited.Select(EnsureReadyAsync));
        return ReadyBackends();
    }
}
