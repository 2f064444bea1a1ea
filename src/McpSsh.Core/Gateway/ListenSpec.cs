using System.Text.Json.Nodes;

namespace McpSsh.Gateway;

/// <summary>
/// A modern host's <c>subscriptions/listen</c>: what the gateway acknowledged (the honoured filter), under the
/// host's own request id. It never gets a result while the host keeps it open; a <c>notifications/cancelled</c>
/// naming its id ends it.
/// </summary>
/// <param name="RawId">The host's listen id as canonical raw JSON text (it stamps every notification delivered for it).</param>
internal sealed record HostListen(string RawId, bool Tools, bool Prompts, bool Resources, HashSet<string> Uris)
{
    public bool Wants(string method, string? uri) => method switch
    {
        JsonRpc.McpMethods.ToolsListChanged => Tools,
        JsonRpc.McpMethods.PromptsListChanged => Prompts,
        JsonRpc.McpMethods.ResourcesListChanged => Resources,
        JsonRpc.McpMethods.ResourceUpdated => uri is not null && Uris.Contains(uri),
        _ => false,
    };
}

/// <summary>
/// What the gateway keeps open on one backend for a host: a listen on a modern backend (<see cref="Filter"/>,
/// narrowed to what the backend owns) or a resources/subscribe on a legacy one (<see cref="LegacyUri"/>).
/// Specs outlive the backend process: a restarted backend gets them again.
/// </summary>
/// <param name="Host">The modern host's listen it serves, or null when it serves a legacy host (whose notifications carry no stamp).</param>
internal sealed class ListenSpec(Backend backend, HostListen? host, JsonObject? filter, string? legacyUri)
{
    public Backend Backend { get; } = backend;

    public HostListen? Host { get; } = host;

    public JsonObject? Filter { get; } = filter;

    public string? LegacyUri { get; } = legacyUri;

    /// <summary>The gateway id of the open backend listen (its subscriptionId on the backend's notifications), while open.</summary>
    public long? LiveId { get; set; }
}
