using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;

namespace McpSsh.Gateway;

/// <summary>
/// Merges the backends' <c>initialize</c> results into one: capabilities are the union, the server name is
/// <c>Merged: a, b</c> (one backend keeps its own), instructions are joined under each server's name, and the
/// protocol version is the one all answered, else the oldest. A modern backend (no initialize) takes part
/// with its server/discover capabilities, serverInfo and instructions, and no version of its own.
/// </summary>
public static class InitializeMerger
{
    public sealed record Outcome(InitializeResult Typed, string? VersionWarning)
    {
        /// <summary>The merged result as JSON (what the host receives).</summary>
        public JsonObject Result => (JsonObject)JsonSerializer.SerializeToNode(Typed, JsonRpcJsonContext.Default.InitializeResult)!;
    }

    /// <param name="results">Backend name and its initialize result, in config order; at least one.</param>
    /// <param name="fallbackVersion">The version to answer when no backend named one (all modern): the host's, if the gateway knows it.</param>
    public static Outcome Merge(IReadOnlyList<(string Name, JsonObject Result)> results, string gatewayVersion, string? fallbackVersion = null)
    {
        var versions = results.Select(r => JsonText.String(r.Result["protocolVersion"])).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        string version = versions.FirstOrDefault() ?? fallbackVersion ?? McpProtocolVersions.LatestLegacy;
        string? warning = versions.Count > 1
            ? string.Join(", ", results.Where(r => r.Result["protocolVersion"] is not null).Select(r => $"{r.Name}: {r.Result["protocolVersion"]}"))
            : null;

        var capabilities = new JsonObject();
        foreach ((_, JsonObject result) in results)
        {
            if (result["capabilities"] is JsonObject backendCapabilities)
            {
                Union(capabilities, backendCapabilities);
            }
        }

        return new Outcome(new InitializeResult(version, capabilities, ServerInfo(results, gatewayVersion), Instructions(results)), warning);
    }

    /// <summary>One backend keeps its own serverInfo; several are "Merged: a, b" with the gateway's version.</summary>
    public static JsonNode ServerInfo(IReadOnlyList<(string Name, JsonObject Result)> results, string gatewayVersion) =>
        results.Count == 1 && results[0].Result["serverInfo"] is JsonNode own
            ? own.DeepClone()
            : JsonSerializer.SerializeToNode(new ImplementationInfo("Merged: " + string.Join(", ", results.Select(r => r.Name)), gatewayVersion), JsonRpcJsonContext.Default.ImplementationInfo)!;

    /// <summary>Each backend's instructions under a heading with its name (one backend: its own text).</summary>
    public static string? Instructions(IReadOnlyList<(string Name, JsonObject Result)> results)
    {
        var instructions = results
            .Where(r => JsonText.String(r.Result["instructions"]) is { Length: > 0 })
            .Select(r => results.Count == 1 ? JsonText.String(r.Result["instructions"])! : $"## {r.Name}\n\n{JsonText.String(r.Result["instructions"])}")
            .ToList();
        return instructions.Count > 0 ? string.Join("\n\n", instructions) : null;
    }

    /// <summary>
    /// A modern backend's server/discover result in the shape of an initialize result (capabilities,
    /// serverInfo from <c>_meta</c>, instructions), so both eras merge the same way.
    /// </summary>
    public static JsonObject FromDiscover(JsonObject discover)
    {
        var shaped = new JsonObject { ["capabilities"] = discover["capabilities"]?.DeepClone() ?? new JsonObject() };
        if (discover[McpMetaKeys.Meta]?[McpMetaKeys.ServerInfo] is JsonNode serverInfo)
        {
            shaped["serverInfo"] = serverInfo.DeepClone();
        }

        if (discover["instructions"] is JsonNode instructions)
        {
            shaped["instructions"] = instructions.DeepClone();
        }

        return shaped;
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
