using System.Buffers;
using System.Text;
using System.Text.Json;

namespace McpSsh.JsonRpc;

/// <summary>Writes the JSON-RPC error responses the relay itself answers with (one line, no trailing newline).</summary>
/// <remarks>
/// Never throws on what it is given: an id that is not one JSON string or number is answered as null, and a
/// lone surrogate in the message (an exception text can quote one) becomes U+FFFD, so every answer is one
/// valid JSON object (issue 11).
/// </remarks>
public static class JsonRpcErrorWriter
{
    /// <param name="rawId">The request id as raw JSON text (<c>7</c>, <c>"a"</c>), or null for a null id.</param>
    public static byte[] Write(string? rawId, JsonRpcErrorCode code, string message) => Write(rawId, new JsonRpcErrorDetail((int)code, message));

    /// <summary>An error response whose error object (code, message, optional data) is the typed contract.</summary>
    public static byte[] Write(string? rawId, JsonRpcErrorDetail detail)
    {
        if (rawId is not null && RequestId.Canonicalize(rawId) is null)
        {
            rawId = null;
        }

        var buffer = new ArrayBufferWriter<byte>(128 + detail.Message.Length);
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

            writer.WritePropertyName("error"u8);
            JsonSerializer.Serialize(writer, detail with { Message = WellFormed(detail.Message) }, JsonRpcJsonContext.Default.JsonRpcErrorDetail);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string WellFormed(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return text;
        }

        var fixedText = new StringBuilder(text.Length);
        foreach (Rune rune in text.EnumerateRunes())
        {
            fixedText.Append(rune.ToString()); // EnumerateRunes yields U+FFFD for each lone surrogate
        }

        return fixedText.ToString();
    }
}
