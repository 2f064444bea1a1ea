using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpSsh.JsonRpc;

/// <summary>The source-generated JSON context of the core library (AOT: no reflection-based serialisation).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(string))]
internal sealed partial class JsonRpcJsonContext : JsonSerializerContext;
