using System.Text.Json.Nodes;

namespace McpSsh.Gateway;

/// <summary>
/// Merges the backends' <c>initialize</c> results into one: capabilities are the union, the server name is
/// <c>Merged: a, b</c> (one backend keeps its own), instructions are joined under each server's name, and the
/// protocol version is the one all answered, else the oldest.
/// </summary>
public static class InitializeMerger
{
    public sealed record Outcome(JsonObject Result, string? VersionWarning);

    /// <param name="results">Backend name and its initialize result, in config order; at least one.</param>
    public static Outcome Merge(IReadOnlyList<(string Name, JsonObject Result)> results, string gatewayVersion)
    {
        var versions = results.Select(r => JsonText.String(r.Result["protocolVersion"])).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        string? version = versions.FirstOrDefault();
        string? warning = versions.Count > 1 ? string.Join(", ", results.Select(r => $"{r.Name}: {r.Result["protocolVersion"]}")) : null;

        var capabilities = new JsonObject();
        foreach ((_, JsonObject result) in results)
        {
            if (result["capabilities"] is JsonObject backendCapabilities)
            {
                Union(capabilities, backendCapabilities);
            }
        }

        JsonNode serverInfo = results.Count == 1 && results[0].Result["serverInfo"] is JsonNode own
            ? own.DeepClone()
            : new JsonObject { ["name"] = "Merged: " + string.Join(", ", results.Select(r => r.Name)), ["version"] = gatewayVersion };

        var merged = new JsonObject
        {
            ["protocolVersion"] = version,
            ["capabilities"] = capabilities,
            ["serverInfo"] = serverInfo,
        };

        var instructions = results
            .Where(r => JsonText.String(r.Result["instructions"]) is { Length: > 0 })
            .Select(r => results.Count == 1 ? JsonText.String(r.Result["instructions"])! : $"## {r.Name}\n\n{JsonText.String(r.Result["instructions"])}")
            .ToList();
        if (instructions.Count > 0)
        {
            merged["instructions"] = string.Join("\n\n", instructions);
        }

        return new Outcome(merged, warning);
    }

    /// <summary>Adds every member of <paramref name="source"/> missing from <paramref name="target"/>, recursively for objects.</summary>
    public static void Union(JsonObject target, JsonObject source)
    {
        foreach ((string key, JsonNode? value) in source)
        {
            if (target[key] is JsonObject targetChild && value is JsonObject sourceChild)
            {
                Union(targetChild, sourceChild);
            }
            else if (!target.ContainsKey(key))
            {
                target[key] = value?.DeepClone();
            }
        }
    }
}
