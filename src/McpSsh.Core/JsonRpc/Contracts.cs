using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace McpSsh.JsonRpc;

/// <summary>Turns a contract (McpContracts.cs) into a tree through the source-generated context, for a caller that edits or frames it.</summary>
internal static class Contracts
{
    public static JsonObject Node<T>(T contract, JsonTypeInfo<T> type) => JsonSerializer.SerializeToNode(contract, type)!.AsObject();
}
