using System.Buffers;
using System.Globalization;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;
using Microsoft.Extensions.Logging;

namespace McpSsh.Gateway;

/// <summary>
/// Asking the user or the model across eras. A modern backend asks with a <c>resultType:"input_required"</c>
/// result; a legacy host expects real server-to-client requests. The gateway sends the host one request per
/// input request (sampling/createMessage, elicitation/create, roots/list), then retries the host's request on
/// the backend under a new id with <c>inputResponses</c> (the host's results, keyed as the backend keyed
/// them) and <c>requestState</c> echoed unchanged, until the backend answers for good. The other way (a
/// legacy backend's request to a modern host) cannot be mapped faithfully: the modern host only fulfils
/// input_required results, and the legacy backend's tool is blocked inside its call. The gateway answers the
/// backend with an error naming the gap, which the backend reports in its tool result.
/// </summary>
public sealed partial class GatewaySession
{
    /// <summary>A round of host answers for one input_required result, then the retry.</summary>
    private async Task FulfilInputRequiredAsync(Backend backend, PendingRequest pending, byte[] frame)
    {
        JsonObject result = (new BackendAnswer(frame).ToObject()["result"] as JsonObject)!;
        if (pending.Request is not { } original || result[McpFields.InputRequests] is not JsonObject inputRequests)
        {
            ReplyError(pending.ClientId, JsonRpcErrorCode.InternalError,
                $"backend {backend.Name} (MCP {McpProtocolVersions.Modern}) answered {pending.Method} with input_required the gateway cannot fulfil for this {McpProtocolVersions.LatestLegacy} host");
            return;
        }

        var responses = new JsonObject();
        foreach ((string key, JsonNode? inputRequest) in inputRequests)
        {
            string? method = JsonText.String(inputRequest?["method"]);
            if (method is null)
            {
                continue;
            }

            var completion = new TaskCompletionSource<BackendAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
            long hostId = _requests.AddHostRequest(completion);
            WriteToClient(Contracts.Node(new JsonRpcRequest(hostId, method, inputRequest?["params"]?.DeepClone()), JsonRpcJsonContext.Default.JsonRpcRequest));
            JsonObject answer = (await completion.Task).ToObject();
            if (answer["result"] is not JsonObject answered)
            {
                ReplyError(pending.ClientId, JsonRpcErrorCode.InternalError,
                    $"backend {backend.Name} needed {method} from the host, which answered with an error: {JsonText.String(answer["error"]?["message"]) ?? "no result"}");
                return;
            }

            responses[key] = answered.DeepClone();
        }

        // The retry: the host's request again, with a new gateway id, the answers and the backend's state untouched.
        var retry = (JsonObject)original.DeepClone();
        var parameters = retry["params"] as JsonObject ?? [];
        retry["params"] = parameters;
        parameters[McpFields.InputResponses] = responses;
        parameters.Remove(McpFields.RequestState);
        if (result[McpFields.RequestState] is JsonNode state)
        {
            parameters[McpFields.RequestState] = state.DeepClone();
        }

        if (backend.State != BackendState.Ready)
        {
            ReplyError(pending.ClientId, JsonRpcErrorCode.ConnectionClosed, NotReadyMessage(backend));
            return;
        }

        long id = _requests.AddForwarded(backend, pending.ClientId!, pending.Method, original);
        retry["id"] = id;
        SendToBackend(backend, WriteOrForget(retry, id));
    }

    /// <summary>A legacy backend's sampling, elicitation or roots request while the host is modern: a clear error to the backend.</summary>
    private void RefuseServerRequest(Backend backend, ReadOnlySequence<byte> frame, string rawId)
    {
        string method = JsonText.String(ParseObject(frame)?["method"]) ?? "a request";
        _logger.LogServerRequestRefused(backend.Name, method);
        SendToBackend(backend, new ReadOnlySequence<byte>(JsonRpcErrorWriter.Write(rawId, JsonRpcErrorCode.MethodNotFound,
            $"mcp-ssh gateway: the host speaks MCP {McpProtocolVersions.Modern}, which has no server-to-client requests, and {method} from a "
            + $"{McpProtocolVersions.LatestLegacy} server cannot be turned into an input_required result; connect the host with protocol version {McpProtocolVersions.LatestLegacy} to use it")));
    }
}

/// <summary>Recognises a modern result that asks for input.</summary>
internal static class InputRequired
{
    public static bool IsInputRequired(ReadOnlySequence<byte> frame) =>
        ResultRewriter.Read(frame) is { } layout && ResultRewriter.StringMember(frame, layout, McpFields.ResultType) == McpFields.InputRequired;
}
