using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using McpSsh.JsonRpc;

namespace McpSsh.Gateway;

/// <summary>Writes one item of a merged list (a tool, prompt, resource) from the backend's bytes.</summary>
internal static class ListItemWriter
{
    /// <summary>An item as the backend wrote it, or with its name replaced by the merged one.</summary>
    public static void Write(Utf8JsonWriter writer, JsonElement item, string? mergedName)
    {
        if (mergedName is null)
        {
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(item), skipInputValidation: true);
            return;
        }

        // Spliced from the raw bytes of each member: re-writing them through JsonElement would decode every
        // string, and one lone surrogate escape in a description would throw and cost the whole list.
        var bytes = new ArrayBufferWriter<byte>();
        bytes.Write("{"u8);
        bool first = true;
        foreach (JsonProperty member in item.EnumerateObject())
        {
            if (!first)
            {
                bytes.Write(","u8);
            }

            first = false;
            if (JsonText.IsNamed(member, "name"))
            {
                bytes.Write("\"name\":"u8);
                bytes.Write(JsonSerializer.SerializeToUtf8Bytes(mergedName, JsonRpcJsonContext.Default.String));
            }
            else
            {
                bytes.Write("\""u8);
                bytes.Write(JsonMarshal.GetRawUtf8PropertyName(member));
                bytes.Write("\":"u8);
                bytes.Write(JsonMarshal.GetRawUtf8Value(member.Value));
            }
        }

        bytes.Write("}"u8);
        writer.WriteRawValue(bytes.WrittenSpan, skipInputValidation: true);
    }
}
