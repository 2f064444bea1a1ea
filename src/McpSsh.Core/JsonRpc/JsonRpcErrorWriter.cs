using System.Buffers;
using System.Text.Json;

namespace McpSsh.JsonRpc;

/// <summary>Writes the JSON-RPC error responses the relay itself answers with (one line, no trailing newline).</summary>
public static class JsonRpcErrorWriter
{
    /// <param name="rawId">The request id as raw JSON text (<c>7</c>, <c>"a"</c>), or null for a null id.</param>
    public static byte[] Write(string? rawId, JsonRpcErrorCode code, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + message.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WritePropertyName("id"u8);
            if (rawId is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteRawValue(rawId, skipInputValidation: false);
            }

            writer.WriteStartObject("error"u8);
            writer.WriteNumber("code"u8, (int)code);
            writer.WriteString("message"u8, message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
