using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpSsh.JsonRpc;

/// <summary>
/// Serialises a message the gateway had to rewrite into one frame (no trailing newline). Non-ASCII text and
/// characters like <c>`</c> or <c>'</c> stay as they were sent instead of the default encoder's <c>\uXXXX</c>
/// escapes, so a rewritten message keeps its size and reads the same in logs; JSON-significant and control
/// characters are still escaped, so the frame stays one valid line.
/// </summary>
public static class JsonFrameWriter
{
    /// <summary>Relaxed escaping, no re-validation (the gateway writes what it parsed).</summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static ReadOnlySequence<byte> Write(JsonNode message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            message.WriteTo(writer);
        }

        return new ReadOnlySequence<byte>(buffer.WrittenMemory);
    }
}
