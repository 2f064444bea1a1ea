using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;

namespace McpSsh.Gateway;

/// <summary>
/// The gateway's answer to server/discover (2026-07-28): the backends' capabilities united, the gateway's
/// serverInfo (one backend keeps its own), instructions under each server's name, and cache hints no looser
/// than the loosest part allows: the smallest ttlMs, and "private" if any part is private. A legacy backend
/// counts as ttlMs 0, "private": it never said its answers may be cached.
/// </summary>
public static class DiscoverMerger
{
    /// <summary>One backend's part: its result in initialize shape (<see cref="InitializeMerger.FromDiscover"/>) and its hints.</summary>
    public sealed record Part(string Name, JsonObject Shaped, CacheHints Hints);

    public static DiscoverResult Merge(IReadOnlyList<Part> parts, string gatewayVersion)
    {
        var named = parts.Select(p => (p.Name, p.Shaped)).ToList();
        var capabilities = new JsonObject();
        foreach (Part part in parts)
        {
            if (part.Shaped["capabilities"] is JsonObject own)
            {
                InitializeMerger.Union(capabilities, own);
            }
        }

        CacheHints hints = Conservative(parts.Select(p => p.Hints));
        return new DiscoverResult(
            [McpProtocolVersions.Modern],
            capabilities,
            InitializeMerger.Instructions(named),
            McpFields.Complete,
            hints.TtlMs,
            hints.CacheScope,
            new ResultMeta(parts.Count == 0 ? Gateway(gatewayVersion) : InitializeMerger.ServerInfo(named, gatewayVersion)));
    }

    /// <summary>The most conservative of several parts' hints (none: do not cache).</summary>
    public static CacheHints Conservative(IEnumerable<CacheHints> hints)
    {
        long ttl = long.MaxValue;
        bool any = false;
        bool isPrivate = false;
        foreach (CacheHints hint in hints)
        {
            any = true;
            ttl = Math.Min(ttl, Math.Max(0, hint.TtlMs));
            isPrivate |= hint.CacheScope != McpFields.Public;
        }

        return new CacheHints(McpFields.Complete, any ? ttl : 0, !any || isPrivate ? McpFields.Private : McpFields.Public);
    }

    /// <summary>The hints a modern result carries (absent members read as 0 / "private"); a legacy part always gets those.</summary>
    public static CacheHints HintsOf(JsonElement? result)
    {
        long ttl = result is { ValueKind: JsonValueKind.Object } r && JsonText.Property(r, McpFields.TtlMs) is { ValueKind: JsonValueKind.Number } t && t.TryGetInt64(out long v) ? v : 0;
        string scope = result is { ValueKind: JsonValueKind.Object } o && JsonText.Property(o, McpFields.CacheScope) is { } s && JsonText.String(s) == McpFields.Public ? McpFields.Public : McpFields.Private;
        return new CacheHints(McpFields.Complete, ttl, scope);
    }

    public static CacheHints HintsOf(JsonObject? result)
    {
        long ttl = result?[McpFields.TtlMs] is JsonValue t && t.TryGetValue(out long v) ? v : 0;
        string scope = JsonText.String(result?[McpFields.CacheScope]) == McpFields.Public ? McpFields.Public : McpFields.Private;
        return new CacheHints(McpFields.Complete, ttl, scope);
    }

    private static JsonNode Gateway(string version) =>
        JsonSerializer.SerializeToNode(new ImplementationInfo("mcp-ssh gateway", version), JsonRpcJsonContext.Default.ImplementationInfo)!;
}
