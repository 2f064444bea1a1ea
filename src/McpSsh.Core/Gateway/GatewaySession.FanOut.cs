using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
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

        await _probed;
        List<Backend> starting = _backends.Where(b => b.State == BackendState.Starting).ToList();
        try
        {
            await Task.WhenAll(starting.Select(InitializeBackendAsync));
        }
        finally
        {
            _initializeDone.TrySetResult();
        }

        var answered = _backends.Where(b => b.State == BackendState.Ready)
            .Select(b => (b.Name, b.Era == McpEra.Modern ? InitializeMerger.FromDiscover(b.DiscoverResult!) : b.InitializeResult!)).ToList();
        if (answered.Count == 0)
        {
            ReplyError(clientId, JsonRpcErrorCode.InternalError, "no backend could be initialized: "
                + string.Join("; ", _backends.Select(b => $"{b.Name}: {b.FailureReason}")));
            return;
        }

        // All modern: no backend named a legacy version, so the host's own is answered if the gateway knows it.
        string? requested = JsonText.String(parameters["protocolVersion"]);
        InitializeMerger.Outcome merged = InitializeMerger.Merge(answered, _options.Version, McpProtocolVersions.Legacy.Contains(requested) ? requested : null);
        if (merged.VersionWarning is not null)
        {
            _logger.LogProtocolVersionMismatch(merged.VersionWarning, merged.Typed.ProtocolVersion);
        }

        lock (_lock)
        {
            _mergedCapabilities = merged.Typed.Capabilities;
        }

        _logger.LogMerged(answered.Count, string.Join(", ", answered.Select(a => a.Name)));
        ReplyResult(clientId, merged.Typed, JsonRpcJsonContext.Default.InitializeResult);
        OpenLegacyHostListens();
    }

    /// <summary>Sends the host's initialize parameters to one backend; on success (and after a restart) also notifications/initialized.</summary>
    private async Task<bool> InitializeBackendAsync(Backend backend)
    {
        JsonObject? parameters;
        lock (_lock)
        {
            parameters = _clientInitializeParams;
        }

        JsonObject response = (await RequestAsync(backend, McpMethods.Initialize, parameters)).ToObject();
        if (response["result"] is not JsonObject result || !JsonText.IsWritable(result))
        {
            // An initialize result the gateway cannot write back (a lone surrogate in it) would fail the merged
            // answer for every backend: this one is left out instead.
            string reason = response["result"] is JsonObject ? "its result holds text that is not valid Unicode" : JsonText.String(response["error"]?["message"]) ?? "no result";
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
            SendToBackend(backend, Notification(McpMethods.Initialized));
        }

        return true;
    }

    /// <summary>
    /// tools/list, prompts/list, resources/list and resources/templates/list: asked of every backend at once and
    /// merged in config order. Each backend's own pagination continues behind one composite cursor. The merged
    /// answer is written straight from the backends' bytes; only a renamed item is re-written member by member.
    /// </summary>
    private async Task ListAsync(string clientId, string method, string itemsKey, JsonObject? parameters)
    {
        Dictionary<string, string>? cursors = null;
        if (parameters?["cursor"] is { } cursorValue)
        {
            if (JsonText.String(cursorValue) is not { } cursor || !CompositeCursor.TryDecode(cursor, out cursors))
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

            return (Backend: b, Answer: await RequestAsync(b, method, pageParameters));
        }));

        var buffer = new ArrayBufferWriter<byte>(pages.Sum(p => p.Answer.Frame.Length) + 256);
        var next = new Dictionary<string, string>(StringComparer.Ordinal);
        var hints = new List<CacheHints>();
        using (var writer = new Utf8JsonWriter(buffer, JsonFrameWriter.Options))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WritePropertyName("id"u8);
            writer.WriteRawValue(clientId, skipInputValidation: true);
            writer.WriteStartObject("result"u8);
            writer.WriteStartArray(itemsKey);
            foreach ((Backend backend, BackendAnswer answer) in pages)
            {
                using JsonDocument document = JsonDocument.Parse(answer.Frame);
                if (JsonText.Property(document.RootElement, "result") is not { ValueKind: JsonValueKind.Object } result)
                {
                    continue; // a failing backend costs its own items, not the whole list
                }

                if (JsonText.Property(result, itemsKey) is { ValueKind: JsonValueKind.Array } items)
                {
                    foreach (JsonElement item in items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object && !FilteredOut(backend, itemsKey, i)))
                    {
                        ListItemWriter.Write(writer, item, Adopt(backend, itemsKey, item));
                    }
                }

                hints.Add(backend.Era == McpEra.Modern ? DiscoverMerger.HintsOf(result) : DiscoverMerger.Conservative([]));
                if (JsonText.Property(result, "nextCursor") is { } nextCursor && JsonText.String(nextCursor) is { } own)
                {
                    next[backend.Name] = own;
                }
            }

            writer.WriteEndArray();
            if (next.Count > 0)
            {
                writer.WriteString("nextCursor"u8, CompositeCursor.Encode(next));
            }

            if (HostEra == McpEra.Modern)
            {
                // The modern list envelope: resultType and the most conservative of the parts' cache hints.
                WriteHints(writer, DiscoverMerger.Conservative(hints));
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        WriteToClient(new ReadOnlySequence<byte>(buffer.WrittenMemory));
        _clientInFlight.Remove(clientId);
    }

    /// <summary>Records who owns an item; for tools and prompts returns the merged name when it differs from the backend's.</summary>
    private string? Adopt(Backend backend, string itemsKey, JsonElement entry)
    {
        string? Text(string property) => JsonText.Property(entry, property) is { } value ? JsonText.String(value) : null;
        switch (itemsKey)
        {
            case "tools" or "prompts" when Text("name") is { } name:
                string merged = (itemsKey == "tools" ? _tools : _prompts).Merge(backend.Name, name);
                return merged == name ? null : merged;
            case "resources" when Text("uri") is { } uri:
                lock (_lock)
                {
                    _resourceOwners.TryAdd(uri, backend);
                }

                break;
            case "resourceTemplates" when Text("uriTemplate") is { } template:
                lock (_lock)
                {
                    if (!_templates.Any(t => t.Template == template))
                    {
                        _templates.Add((template, backend));
                    }
                }

                break;
        }

        return null;
    }

    /// <summary>Learns every backend's names and URIs (first pages) without answering the host.</summary>
    private async Task RefreshViewsAsync()
    {
        List<Backend> backends = await ReadyOrRestartedAsync();
        (string Method, string Key)[] lists = [(McpMethods.ToolsList, "tools"), (McpMethods.PromptsList, "prompts"), (McpMethods.ResourcesList, "resources"), (McpMethods.ResourceTemplatesList, "resourceTemplates")];
        var answers = await Task.WhenAll(backends.SelectMany(b => lists.Select(async l => (Backend: b, l.Key, Answer: await RequestAsync(b, l.Method, new JsonObject())))));

        // Adopted in config order, whatever order the answers came in, so clashing names are suffixed the same way every time.
        foreach ((Backend backend, string key, BackendAnswer answer) in answers)
        {
            using JsonDocument document = JsonDocument.Parse(answer.Frame);
            if (JsonText.Property(document.RootElement, "result") is { ValueKind: JsonValueKind.Object } result
                && JsonText.Property(result, key) is { ValueKind: JsonValueKind.Array } items)
            {
                foreach (JsonElement entry in items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object && !FilteredOut(backend, key, i)))
                {
                    Adopt(backend, key, entry);
                }
            }
        }
    }

    /// <summary>logging/setLevel and the like: every backend, one answer once all replied.</summary>
    private async Task BroadcastRequestAsync(string clientId, JsonObject request, List<Backend> backends)
    {
        string method = JsonText.String(request["method"])!;
        JsonObject[] responses = (await Task.WhenAll(backends.Select(b => RequestAsync(b, method, request["params"])))).Select(a => a.ToObject()).ToArray();
        JsonObject? success = responses.Select(r => r["result"]).OfType<JsonObject>().FirstOrDefault();
        if (success is not null || backends.Count == 0)
        {
            ReplyResult(clientId, success?.DeepClone() ?? new JsonObject());
        }
        else
        {
            ReplyError(clientId, JsonRpcErrorCode.InternalError, $"{method} failed on every backend: " + string.Join("; ", responses.Select(r => JsonText.String(r["error"]?["message"]))));
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
