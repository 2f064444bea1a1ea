using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;

namespace McpSsh.Resilience;

/// <summary>
/// The few MCP messages the reconnect layer composes itself (keepalive probes, the replay's
/// <c>notifications/initialized</c>, the list_changed that tell the host to re-list). Written with
/// <see cref="Utf8JsonWriter"/> from the vocabulary, so every method name and <c>_meta</c> key has one spelling,
/// and an id is always written as the raw JSON text the relay keeps (a string or a number, as the host sent it).
/// </summary>
internal static class RelayMessages
{
    /// <summary><c>{"jsonrpc":"2.0","method":M}</c>, or with <c>params._meta</c> stamped with a listen's id (raw JSON text).</summary>
    public static byte[] Notification(string method, string? subscriptionId = null) => Write(writer =>
    {
        writer.WriteString("method"u8, method);
        if (subscriptionId is not null)
        {
            writer.WriteStartObject("params"u8);
            writer.WriteStartObject(McpMetaKeys.Meta);
            writer.WritePropertyName(McpMetaKeys.SubscriptionId);
            writer.WriteRawValue(subscriptionId, skipInputValidation: false);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
    });

    /// <summary>A request under one of the relay's private ids (raw JSON text), with <c>params._meta</c> when an envelope is given.</summary>
    public static byte[] Request(string id, string method, JsonObject? envelope = null) => Write(writer =>
    {
        writer.WritePropertyName("id"u8);
        writer.WriteRawValue(id, skipInputValidation: false);
        writer.WriteString("method"u8, method);
        if (envelope is not null)
        {
            writer.WriteStartObject("params"u8);
            writer.WritePropertyName(McpMetaKeys.Meta);
            envelope.WriteTo(writer);
            writer.WriteEndObject();
        }
    });

    private static byte[] Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, JsonFrameWriter.Options))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            members(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
