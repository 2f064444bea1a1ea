using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.Filtering;
using McpSsh.JsonRpc;

namespace McpSsh.Gateway;

/// <summary>
/// Per-server <c>"tools": {"allow", "deny"}</c> of the servers config. A filtered tool never gets a merged name, so
/// it is absent from every tools/list and no request can be routed to it; the names a host might still call it by
/// (its own, and the merged name it would have had) are remembered so such a call is refused naming the server
/// and the glob, rather than "not offered".
/// </summary>
public sealed partial class GatewaySession
{
    private readonly Dictionary<string, (ToolFilter Filter, string Reason)> _filteredTools = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="item"/> of a tools list is filtered out by its server's config (any of its names).</summary>
    private bool FilteredOut(Backend backend, string itemsKey, JsonElement item)
    {
        ToolFilter filter = backend.Config.Tools;
        if (itemsKey != "tools" || !filter.IsActive)
        {
            return false;
        }

        bool named = false;
        foreach (JsonProperty member in item.EnumerateObject())
        {
            if (!JsonText.IsNamed(member, "name"))
            {
                continue;
            }

            // Every "name" member is checked (a duplicate must not smuggle a filtered name past the first).
            named = true;
            string name = JsonText.String(member.Value) ?? "";
            if (filter.Check(name) is { Allowed: false } verdict)
            {
                RememberFiltered(backend, name, verdict.Reason!);
                return true;
            }
        }

        return !named && !filter.Check("").Allowed;
    }

    private void RememberFiltered(Backend backend, string name, string reason)
    {
        lock (_lock)
        {
            _filteredTools.TryAdd(name, (backend.Config.Tools, reason));
            _filteredTools.TryAdd(_tools.Candidate(backend.Name, name), (backend.Config.Tools, reason));
        }
    }

    /// <summary>For a tools/call no backend offers: the refusal naming server and filter, if a filtered tool goes by that name.</summary>
    private string? FilteredCallRefusal(string method, JsonObject? parameters)
    {
        if (method != McpMethods.ToolsCall || JsonText.String(parameters?["name"]) is not { } name)
        {
            return null;
        }

        lock (_lock)
        {
            return _filteredTools.TryGetValue(name, out var filtered) ? filtered.Filter.Refusal(name, filtered.Reason) : null;
        }
    }
}
