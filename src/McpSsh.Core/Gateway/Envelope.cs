using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;

namespace McpSsh.Gateway;

/// <summary>
/// The 2026-07-28 per-request envelope (<c>params._meta</c>: protocolVersion, clientCapabilities, optional
/// clientInfo and logLevel): how the gateway checks a modern host's, and adds or strips it for a backend of
/// the other era. Errors are the ones the TypeScript SDK v2 answers (docs/mcp-2026-07-28-wire.md §4).
/// </summary>
internal static class Envelope
{
    /// <summary>A request names the modern era when its <c>_meta</c> holds the protocolVersion key (any value).</summary>
    public static bool IsModern(JsonObject? parameters) => Meta(parameters)?.ContainsKey(McpMetaKeys.ProtocolVersion) == true;

    public static JsonObject? Meta(JsonObject? parameters) => parameters?[McpMetaKeys.Meta] as JsonObject;

    /// <summary>Checks a modern host's envelope; null when it is valid, else the error to answer with.</summary>
    public static JsonRpcErrorDetail? Validate(JsonObject? parameters)
    {
        if (Meta(parameters) is not { } meta || !meta.ContainsKey(McpMetaKeys.ProtocolVersion))
        {
            return new JsonRpcErrorDetail((int)JsonRpcErrorCode.InvalidParams,
                $"Request is missing the required _meta envelope for protocol revision {McpProtocolVersions.Modern} ({McpMetaKeys.ProtocolVersion}, {McpMetaKeys.ClientCapabilities})");
        }

        if (JsonText.String(meta[McpMetaKeys.ProtocolVersion]) is not { } version)
        {
            return Invalid(McpMetaKeys.ProtocolVersion, "expected string");
        }

        if (meta[McpMetaKeys.ClientCapabilities] is not JsonObject)
        {
            return Invalid(McpMetaKeys.ClientCapabilities, meta.ContainsKey(McpMetaKeys.ClientCapabilities) ? "expected object" : "missing");
        }

        if (meta.ContainsKey(McpMetaKeys.ClientInfo)
            && (meta[McpMetaKeys.ClientInfo] is not JsonObject info || JsonText.String(info["name"]) is null || JsonText.String(info["version"]) is null))
        {
            return Invalid(McpMetaKeys.ClientInfo, "expected an object with string name and version");
        }

        if (meta.ContainsKey(McpMetaKeys.LogLevel) && !McpFields.LogLevels.Contains(JsonText.String(meta[McpMetaKeys.LogLevel])))
        {
            return Invalid(McpMetaKeys.LogLevel, "expected one of " + string.Join(", ", McpFields.LogLevels));
        }

        return version == McpProtocolVersions.Modern ? null : Unsupported(version);
    }

    /// <summary>-32022 with data.supported (and data.requested when the host named one).</summary>
    public static JsonRpcErrorDetail Unsupported(string? requested) => new(
        (int)JsonRpcErrorCode.UnsupportedProtocolVersion,
        requested is null ? "Unsupported protocol version: the request did not name a protocol version" : $"Unsupported protocol version: {requested}",
        JsonSerializer.SerializeToNode(new UnsupportedVersionData([McpProtocolVersions.Modern], requested), JsonRpcJsonContext.Default.UnsupportedVersionData));

    private static JsonRpcErrorDetail Invalid(string key, string problem) => new(
        (int)JsonRpcErrorCode.InvalidParams,
        $"Invalid _meta envelope for protocol revision {McpProtocolVersions.Modern}: {key}: {problem}",
        JsonSerializer.SerializeToNode(new EnvelopeErrorData(new EnvelopeProblem(key, problem)), JsonRpcJsonContext.Default.EnvelopeErrorData));

    /// <summary>
    /// The envelope a legacy host's requests get on their way to a modern backend: its initialize capabilities
    /// and clientInfo, and the level it set with logging/setLevel.
    /// </summary>
    public static JsonObject FromInitialize(JsonObject? initializeParams, string? logLevel, ImplementationInfo gateway)
    {
        var envelope = new JsonObject
        {
            [McpMetaKeys.ProtocolVersion] = McpProtocolVersions.Modern,
            [McpMetaKeys.ClientCapabilities] = (initializeParams?["capabilities"] as JsonObject)?.DeepClone() ?? new JsonObject(),
            [McpMetaKeys.ClientInfo] = initializeParams?["clientInfo"] is JsonObject info && JsonText.String(info["name"]) is not null && JsonText.String(info["version"]) is not null
                ? info.DeepClone()
                : JsonSerializer.SerializeToNode(gateway, JsonRpcJsonContext.Default.ImplementationInfo),
        };
        if (logLevel is not null)
        {
            envelope[McpMetaKeys.LogLevel] = logLevel;
        }

        return envelope;
    }

    /// <summary>The initialize parameters a legacy backend gets when the host is modern: built from its first envelope.</summary>
    public static JsonObject ToInitializeParams(JsonObject meta, ImplementationInfo gateway) => new()
    {
        ["protocolVersion"] = McpProtocolVersions.LatestLegacy,
        ["capabilities"] = (meta[McpMetaKeys.ClientCapabilities] as JsonObject)?.DeepClone() ?? new JsonObject(),
        ["clientInfo"] = meta[McpMetaKeys.ClientInfo]?.DeepClone() ?? JsonSerializer.SerializeToNode(gateway, JsonRpcJsonContext.Default.ImplementationInfo),
    };

    /// <summary>Adds each envelope key the params lack (a key the host sent itself wins).</summary>
    public static JsonObject Add(JsonObject? parameters, JsonObject envelope)
    {
        parameters ??= [];
        if (parameters[McpMetaKeys.Meta] is not JsonObject meta)
        {
            meta = [];
            parameters[McpMetaKeys.Meta] = meta;
        }

        foreach ((string key, JsonNode? value) in envelope)
        {
            if (!meta.ContainsKey(key))
            {
                meta[key] = value?.DeepClone();
            }
        }

        return parameters;
    }

    /// <summary>Removes the envelope keys (others, such as progressToken, stay); an emptied _meta goes too.</summary>
    public static void Strip(JsonObject? parameters)
    {
        if (Meta(parameters) is not { } meta)
        {
            return;
        }

        foreach (string key in McpMetaKeys.Envelope)
        {
            meta.Remove(key);
        }

        if (meta.Count == 0)
        {
            parameters!.Remove(McpMetaKeys.Meta);
        }
    }
}
