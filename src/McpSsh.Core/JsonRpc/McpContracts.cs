using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace McpSsh.JsonRpc;

// The messages the gateway composes itself, as typed records serialised through JsonRpcJsonContext (never
// hand-built JSON). What it forwards stays the bytes that arrived; these are only for what it writes.
// Capabilities stay JsonObject: they are the union of what the backends declared, keys the gateway does not know included.

/// <summary>The error object of a JSON-RPC error response.</summary>
public sealed record JsonRpcErrorDetail(int Code, string Message, JsonNode? Data = null);

/// <summary>-32022 data: the versions the gateway speaks and the one the host asked for.</summary>
public sealed record UnsupportedVersionData(string[] Supported, string? Requested);

/// <summary>-32602 data for a bad envelope, as the TypeScript SDK v2 writes it.</summary>
public sealed record EnvelopeErrorData(EnvelopeProblem Envelope);

public sealed record EnvelopeProblem(string Key, string Problem);

/// <summary>serverInfo / clientInfo.</summary>
public sealed record ImplementationInfo(string Name, string Version);

/// <summary>The gateway's merged answer to a legacy host's initialize.</summary>
public sealed record InitializeResult(string ProtocolVersion, JsonObject Capabilities, JsonNode ServerInfo, string? Instructions);

/// <summary>
/// The gateway's merged answer to server/discover (2026-07-28): serverInfo rides in
/// <c>_meta["io.modelcontextprotocol/serverInfo"]</c>, and the cache hints are the most conservative of the parts.
/// </summary>
public sealed record DiscoverResult(
    string[] SupportedVersions,
    JsonObject Capabilities,
    string? Instructions,
    string ResultType,
    long TtlMs,
    string CacheScope,
    [property: JsonPropertyName("_meta")] ResultMeta Meta);

/// <summary>The <c>_meta</c> of a result the gateway composes.</summary>
public sealed record ResultMeta(
    [property: JsonPropertyName(McpMetaKeys.ServerInfo)] JsonNode? ServerInfo,
    [property: JsonPropertyName(McpMetaKeys.SubscriptionId)] JsonNode? SubscriptionId = null);

/// <summary>The modern members of a merged list result (written after the items and nextCursor).</summary>
public sealed record CacheHints(string ResultType, long TtlMs, string CacheScope);

/// <summary>A request the gateway composes itself (its own fan-out, probe, listen, or a question to the host).</summary>
public sealed record JsonRpcRequest(JsonNode Id, string Method, JsonNode? Params = null)
{
    public string Jsonrpc => "2.0";
}

/// <summary>An error response; also what the gateway records in place of an answer that never came (no id then).</summary>
public sealed record JsonRpcErrorResponse(JsonNode? Id, JsonRpcErrorDetail Error)
{
    public string Jsonrpc => "2.0";
}

/// <summary>A notification the gateway writes (list_changed it synthesises, a listen's acknowledgement).</summary>
public sealed record JsonRpcNotification(string Method, JsonObject? Params = null)
{
    public string Jsonrpc => "2.0";
}

/// <summary>notifications/subscriptions/acknowledged params: the honoured filter, under the listen's id.</summary>
public sealed record SubscriptionsAcknowledgedParams(JsonObject Notifications, [property: JsonPropertyName("_meta")] ResultMeta Meta);
