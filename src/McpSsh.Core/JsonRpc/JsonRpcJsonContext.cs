using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace McpSsh.JsonRpc;

/// <summary>The source-generated JSON context of the core library (AOT: no reflection-based serialisation).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonObject))]
// MCP contracts the gateway composes (McpContracts.cs).
[JsonSerializable(typeof(JsonRpcErrorDetail))]
[JsonSerializable(typeof(UnsupportedVersionData))]
[JsonSerializable(typeof(EnvelopeErrorData))]
[JsonSerializable(typeof(ImplementationInfo))]
[JsonSerializable(typeof(InitializeResult))]
[JsonSerializable(typeof(DiscoverResult))]
[JsonSerializable(typeof(CacheHints))]
[JsonSerializable(typeof(JsonRpcNotification))]
[JsonSerializable(typeof(JsonRpcRequest))]
[JsonSerializable(typeof(JsonRpcErrorResponse))]
[JsonSerializable(typeof(SubscriptionsAcknowledgedParams))]
internal sealed partial class JsonRpcJsonContext : JsonSerializerContext;
