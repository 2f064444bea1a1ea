using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using Microsoft.Extensions.Logging;

namespace McpSsh.Gateway;

public sealed partial class GatewaySession
{
    private void StartBackend(Backend backend)
    {
        try
        {
            BackendProcess process = BackendProcess.Start(backend.Config, _logger);
            backend.Process = process;
            // Its stdout is read on a thread of its own, each line pushed to OnBackendFrame there.
            _ = process.DeliverOutputAsync(new BackendFrames(this, backend));
            process.Exited.ContinueWith(t => OnBackendExited(backend, process, t.Result), TaskScheduler.Default);
        }
        catch (GatewayConfigException ex)
        {
            backend.State = BackendState.Failed;
            backend.FailureReason = ex.Message;
            _logger.LogBackendLeftOut(backend.Name, ex.Message);
        }
    }

    /// <summary>A backend's output, pushed by its channel: every line goes to <see cref="OnBackendFrame"/>; nothing is held back.</summary>
    private sealed class BackendFrames(GatewaySession session, Backend backend) : IFrameReceiver
    {
        public long MaxFrameBytes => session._options.MaxFrameBytes;

        public bool OnFrame(ReadOnlySequence<byte> frame, in FrameInspection inspection) => session.OnBackendFrame(backend, frame, inspection);

        public bool OnOversized(ReadOnlySequence<byte> head) => session.OnOversizedBackendFrame(backend, head);

        public void EndOfBurst()
        {
        }
    }

    private bool OnOversizedBackendFrame(Backend backend, ReadOnlySequence<byte> head)
    {
        string limit = $"line longer than the gateway's limit of {_options.MaxFrameBytes} bytes (--max-frame-bytes)";
        _logger.LogBadBackendFrame(backend.Name, limit);
        FailDroppedAnswer(backend, FrameInspector.TryRecoverId(head), $"backend {backend.Name} sent an answer larger than the gateway's limit of {_options.MaxFrameBytes} bytes (mcp-ssh gateway --max-frame-bytes)");
        return true;
    }

    private bool OnBackendFrame(Backend backend, ReadOnlySequence<byte> frame, in FrameInspection inspection)
    {
        if (!inspection.IsValid)
        {
            _logger.LogBadBackendFrame(backend.Name, inspection.Error!);
            FailDroppedAnswer(backend, inspection.Info.Id, $"backend {backend.Name} sent a malformed answer ({inspection.Error})");
            return true;
        }

        FrameInfo info = inspection.Info;
        try
        {
            switch (info.Kind)
            {
                case FrameKind.Response:
                    OnBackendResponse(backend, frame, info.Id);
                    break;
                case FrameKind.Request:
                    OnBackendRequest(backend, frame, info.Id!);
                    break;
                case FrameKind.Notification:
                    OnBackendNotification(backend, info, frame);
                    break;
            }
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            // One line the gateway cannot read costs that line; the backend's stdout is still read.
            _logger.LogBadBackendFrame(backend.Name, ex.Message);
        }

        return true;
    }

    /// <summary>
    /// A dropped backend line whose id (recovered from its head) is a request this backend still owes gets an
    /// error in its place, so the host (or the gateway's own fan-out) does not wait forever (issue 11, defect 4).
    /// </summary>
    private void FailDroppedAnswer(Backend backend, string? rawId, string message)
    {
        if (!long.TryParse(rawId, NumberStyles.None, CultureInfo.InvariantCulture, out long gatewayId)
            || !_requests.TryComplete(gatewayId, backend, out PendingRequest pending))
        {
            return;
        }

        if (pending.Completion is not null)
        {
            pending.Completion.TrySetResult(BackendAnswer.Error(message));
            return;
        }

        ReplyError(pending.ClientId, JsonRpcErrorCode.InternalError, message);
    }

    private void OnBackendResponse(Backend backend, ReadOnlySequence<byte> frame, string? rawId)
    {
        if (!long.TryParse(rawId, NumberStyles.None, CultureInfo.InvariantCulture, out long gatewayId)
            || !_requests.TryComplete(gatewayId, backend, out PendingRequest pending))
        {
            return;
        }

        if (pending.Completion is not null)
        {
            pending.Completion.TrySetResult(new BackendAnswer(frame.ToArray()));
            return;
        }

        if (HostEra == McpEra.Legacy && backend.Era == McpEra.Modern && InputRequired.IsInputRequired(frame))
        {
            // Whatever the backend's input requests hold (a string where a request belongs, a duplicate key), the host's request is answered.
            FulfilInputRequiredAsync(backend, pending, frame.ToArray()).ContinueWith(
                t => ReplyError(pending.ClientId, JsonRpcErrorCode.InternalError,
                    $"backend {backend.Name} answered {pending.Method} with an input_required result the gateway cannot read: {t.Exception!.GetBaseException().Message}"),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return;
        }

        // Only the id changes (spliced in place), and the members the host's era lacks or needs (resultType,
        // cache hints); the rest of the result or error passes through as the backend wrote it.
        if (FrameRewriter.ReplaceId(ResultForHost(backend, pending.Method, frame), pending.ClientId!) is { } answer)
        {
            WriteToClient(answer);
        }

        _clientInFlight.Remove(pending.ClientId!);
    }

    /// <summary>sampling/createMessage, elicitation/create, roots/list or any other request to the host.</summary>
    private void OnBackendRequest(Backend backend, ReadOnlySequence<byte> frame, string rawId)
    {
        if (HostEra == McpEra.Modern)
        {
            RefuseServerRequest(backend, frame, rawId);
            return;
        }

        long gatewayId = _requests.AddServerRequest(backend, rawId);
        if (FrameRewriter.ReplaceId(frame, gatewayId.ToString(CultureInfo.InvariantCulture)) is { } request)
        {
            WriteToClient(request);
        }
    }

    private void OnBackendNotification(Backend backend, FrameInfo info, ReadOnlySequence<byte> frame)
    {
        if (info.CancelledRequestId is { } original)
        {
            // The backend withdraws a request it made to the host: name it by the id the host knows.
            if (!_requests.TryWithdrawServerRequest(backend, original, out long gatewayId))
            {
                return;
            }

            JsonObject notification = ParseObject(frame)!;
            notification["params"]!["requestId"] = gatewayId;
            WriteToClient(notification);
            return;
        }

        if (RouteChangeNotification(backend, info, frame))
        {
            return;
        }

        // progress (the host's own token), message, */list_changed, resources/updated: untouched bytes.
        WriteToClient(frame);
    }

    /// <summary>Sends a host request to a backend under a gateway id, restarting the backend first if it exited.</summary>
    private async Task ForwardAsync(Backend backend, string clientId, JsonObject request)
    {
        if (!await EnsureReadyAsync(backend))
        {
            ReplyError(clientId, JsonRpcErrorCode.ConnectionClosed, NotReadyMessage(backend));
            return;
        }

        if (ParamsFor(backend, request["params"] as JsonObject) is { } adapted && request["params"] is null)
        {
            request["params"] = adapted;
        }

        string? method = JsonText.String(request["method"]);
        JsonObject? keep = HostEra == McpEra.Legacy && backend.Era == McpEra.Modern && method is McpMethods.ToolsCall or McpMethods.PromptsGet or McpMethods.ResourcesRead
            ? (JsonObject)request.DeepClone()
            : null;
        long id = _requests.AddForwarded(backend, clientId, method, keep);
        request["id"] = id;
        SendToBackend(backend, WriteOrForget(request, id));
    }

    /// <summary>The message as one frame; if it cannot be written (a lone surrogate in the host's params), the request is forgotten before the error propagates.</summary>
    private ReadOnlySequence<byte> WriteOrForget(JsonObject request, long id)
    {
        try
        {
            return JsonFrameWriter.Write(request);
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            _requests.TryComplete(id, out _);
            throw;
        }
    }

    /// <summary>Sends the gateway's own request and waits (bounded) for the backend's response object.</summary>
    private async Task<BackendAnswer> RequestAsync(Backend backend, string method, JsonNode? parameters, TimeSpan? timeout = null)
    {
        var completion = new TaskCompletionSource<BackendAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        long id = _requests.AddOwn(backend, completion);
        JsonObject request = Contracts.Node(new JsonRpcRequest(id, method, ParamsFor(backend, parameters?.DeepClone() as JsonObject)), JsonRpcJsonContext.Default.JsonRpcRequest);

        SendToBackend(backend, WriteOrForget(request, id));
        try
        {
            return await completion.Task.WaitAsync(timeout ?? _options.InitTimeout);
        }
        catch (TimeoutException)
        {
            _requests.Forget(id);
            return BackendAnswer.Error($"backend {backend.Name} did not answer {method} within {(timeout ?? _options.InitTimeout).TotalSeconds:0.#} s (--init-timeout)");
        }
    }

    private void SendToBackend(Backend backend, JsonNode message) => SendToBackend(backend, JsonFrameWriter.Write(message));

    private void SendToBackend(Backend backend, ReadOnlySequence<byte> frame)
    {
        try
        {
            backend.Process?.SendFrame(frame, default);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // Its stdin is gone; the exit handler answers what is pending.
        }
    }

    private List<Backend> ReadyBackends()
    {
        lock (_lock)
        {
            return _backends.Where(b => b.State == BackendState.Ready).ToList();
        }
    }
}
