using System.Buffers;
using System.Globalization;
using System.Text.Json.Nodes;
using McpSsh.Framing;
using McpSsh.JsonRpc;

namespace McpSsh.Gateway;

public sealed partial class GatewaySession
{
    private bool OnClientFrame(FrameReadStatus status, ReadOnlySequence<byte> frame)
    {
        if (status == FrameReadStatus.Oversized)
        {
            ReplyError(FrameInspector.TryRecoverId(frame), JsonRpcErrorCode.InvalidRequest,
                $"message larger than the gateway's limit of {_options.MaxFrameBytes} bytes; it was not sent");
            return true;
        }

        FrameInspection inspection = FrameInspector.Inspect(frame, captureMethod: true);
        if (!inspection.IsValid)
        {
            _logger.LogBadClientFrame(frame.Length, inspection.Error!, (int)inspection.ErrorCode, inspection.Info.Id ?? "null");
            ReplyError(inspection.Info.Id, inspection.ErrorCode, $"{inspection.Error}; the message was not sent");
            return true;
        }

        SawFirstFrame();
        FrameInfo info = inspection.Info;
        try
        {
            switch (info.Kind)
            {
                case FrameKind.Request:
                    _clientInFlight.Add(info.Id!);
                    OnClientRequest(info.Id!, info.Method!, ParseObject(frame)!);
                    break;
                case FrameKind.Notification:
                    OnClientNotification(info, frame);
                    break;
                case FrameKind.Response:
                    OnClientResponse(info, frame);
                    break;
            }
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            // Valid JSON-RPC the gateway still cannot read (a duplicate key deep inside, a lone surrogate in a
            // name it must rewrite): this message fails, the session goes on.
            _logger.LogBadClientFrame(frame.Length, ex.Message, (int)JsonRpcErrorCode.InvalidRequest, info.Id ?? "null");
            if (info.Kind == FrameKind.Request)
            {
                ReplyError(info.Id, JsonRpcErrorCode.InvalidRequest, $"the gateway cannot read this message ({ex.Message}); it was not sent");
            }
        }

        return true;
    }

    private void OnClientRequest(string clientId, string method, JsonObject request)
    {
        JsonObject? parameters = request["params"] as JsonObject;
        McpEra era = PinHostEra(method, parameters);
        if (era == McpEra.Modern && ModernRequestError(method, parameters) is { } refused)
        {
            ReplyError(clientId, refused);
            return;
        }

        Task work = method switch
        {
            McpMethods.Initialize => InitializeAsync(clientId, parameters ?? []),
            McpMethods.Ping => Answer(clientId, new JsonObject()),
            McpMethods.Discover when era == McpEra.Modern => DiscoverAsync(clientId),
            McpMethods.Listen when era == McpEra.Modern => ListenAsync(clientId, parameters!),
            McpMethods.ToolsList => ListAsync(clientId, method, "tools", parameters),
            McpMethods.PromptsList => ListAsync(clientId, method, "prompts", parameters),
            McpMethods.ResourcesList => ListAsync(clientId, method, "resources", parameters),
            McpMethods.ResourceTemplatesList => ListAsync(clientId, method, "resourceTemplates", parameters),
            McpMethods.SetLevel => SetLevelAsync(clientId, request),
            McpMethods.ResourcesSubscribe or McpMethods.ResourcesUnsubscribe => LegacySubscribeAsync(clientId, method, request),
            _ => RouteAsync(clientId, method, request),
        };

        // Handlers run on their own; whatever goes wrong inside one still answers the host's request.
        work.ContinueWith(
            t => ReplyError(clientId, JsonRpcErrorCode.InternalError, $"gateway error handling {method}: {t.Exception!.GetBaseException().Message}"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private Task Answer(string clientId, JsonNode result)
    {
        ReplyResult(clientId, result);
        return Task.CompletedTask;
    }

    /// <summary>Finds the backend a request is for (by merged name, URI or completion ref), rewrites the name, forwards it.</summary>
    private async Task RouteAsync(string clientId, string method, JsonObject request)
    {
        Backend? backend = await FindOwnerAsync(method, request["params"] as JsonObject);
        if (backend is null && FilteredCallRefusal(method, request["params"] as JsonObject) is { } refusal)
        {
            ReplyError(clientId, JsonRpcErrorCode.InvalidParams, refusal);
            return;
        }

        if (backend is null)
        {
            bool known = method is McpMethods.ToolsCall or McpMethods.PromptsGet or McpMethods.ResourcesRead or McpMethods.ResourcesSubscribe or McpMethods.ResourcesUnsubscribe or McpMethods.Complete;
            ReplyError(clientId, known ? JsonRpcErrorCode.InvalidParams : JsonRpcErrorCode.MethodNotFound, known
                ? $"{method}: {DescribeTarget(request["params"] as JsonObject)} is not offered by any backend"
                : $"method {method} is not supported by the gateway and names no tool, prompt or resource of a backend");
            return;
        }

        await ForwardAsync(backend, clientId, request);
    }

    /// <summary>Which backend owns the request's target; refreshes the merged lists once if the target is unknown.</summary>
    private async Task<Backend?> FindOwnerAsync(string method, JsonObject? parameters)
    {
        await WhenInitialized();
        for (int attempt = 0; attempt < 2; attempt++)
        {
            if (TryFindOwner(method, parameters, out Backend? owner))
            {
                return owner;
            }

            if (attempt == 0)
            {
                // The host may call before listing (or after a backend restart): learn the names, then look again.
                await RefreshViewsAsync();
            }
        }

        return null;
    }

    private bool TryFindOwner(string method, JsonObject? parameters, out Backend? owner)
    {
        owner = null;
        if (parameters is null)
        {
            return false;
        }

        if (method == McpMethods.Complete && parameters["ref"] is JsonObject reference)
        {
            return JsonText.String(reference["type"]) == "ref/prompt"
                ? TryRename(_prompts, reference, out owner)
                : JsonText.String(reference["uri"]) is { } uri && TryFindResourceOwner(uri, out owner);
        }

        if (parameters["name"] is JsonValue && (method.StartsWith("prompts/", StringComparison.Ordinal) ? TryRename(_prompts, parameters, out owner) : TryRename(_tools, parameters, out owner)))
        {
            return true;
        }

        return JsonText.String(parameters["uri"]) is { } resource && TryFindResourceOwner(resource, out owner);
    }

    /// <summary>Maps a merged name back to its backend and writes the backend's own name into the message.</summary>
    private bool TryRename(NameMap names, JsonObject holder, out Backend? owner)
    {
        owner = null;
        if (JsonText.String(holder["name"]) is not { } merged || !names.TryResolve(merged, out string backendName, out string original))
        {
            return false;
        }

        owner = _backends.First(b => b.Name == backendName);
        holder["name"] = original;
        return true;
    }

    private bool TryFindResourceOwner(string uri, out Backend? owner)
    {
        lock (_lock)
        {
            if (_resourceOwners.TryGetValue(uri, out owner))
            {
                return true;
            }

            owner = _templates.FirstOrDefault(t => t.Template == uri || UriTemplateMatcher.Matches(t.Template, uri)).Owner;
            return owner is not null;
        }
    }

    private static string DescribeTarget(JsonObject? parameters) =>
        parameters?["name"] is JsonValue name ? $"\"{name}\""
        : parameters?["uri"] is JsonValue uri ? $"URI {uri}"
        : parameters?["ref"] is JsonNode reference ? $"ref {reference.ToJsonString()}"
        : "the target";

    private void OnClientNotification(FrameInfo info, ReadOnlySequence<byte> frame)
    {
        string method = info.Method!;
        List<Backend> ready;
        lock (_lock)
        {
            _clientInitialized |= method == McpMethods.Initialized;
            ready = _backends.Where(b => b.State == BackendState.Ready).ToList();
        }

        if (info.CancelledRequestId is { } listenId && TryCloseHostListen(listenId))
        {
            return;
        }

        if (info.CancelledRequestId is { } requestId)
        {
            // Goes only to the backend holding that request, under the id the backend knows. The host ignores
            // any late answer to a cancelled request, so the gateway forgets it now.
            if (!_requests.TryCancel(requestId, out long gatewayId, out PendingRequest pending))
            {
                return;
            }

            _clientInFlight.Remove(pending.ClientId!);
            JsonObject notification = ParseObject(frame)!;
            notification["params"]!["requestId"] = gatewayId;
            SendToBackend(pending.Backend, notification);
            return;
        }

        // notifications/initialized, roots/list_changed and anything else concern every backend; initialized only
        // the legacy ones (a modern server has no handshake, and the gateway tells its legacy backends itself when the host is modern).
        foreach (Backend backend in ready.Where(b => method != McpMethods.Initialized || b.Era != McpEra.Modern))
        {
            SendToBackend(backend, frame);
        }
    }

    /// <summary>The host answers a request a backend made: restore the backend's own id and send it back.</summary>
    private void OnClientResponse(FrameInfo info, ReadOnlySequence<byte> frame)
    {
        if (!long.TryParse(info.Id, NumberStyles.None, CultureInfo.InvariantCulture, out long gatewayId)
            || !_requests.TryResolveServerRequest(gatewayId, out ServerRequest request))
        {
            return;
        }

        if (request.Completion is not null)
        {
            request.Completion.TrySetResult(new BackendAnswer(frame.ToArray()));
            return;
        }

        // Only the id changes, spliced in place: the host's answer (sampling, elicitation) passes as it came.
        if (FrameRewriter.ReplaceId(frame, request.OriginalId) is { } answer)
        {
            SendToBackend(request.Backend!, answer);
        }
    }
}
