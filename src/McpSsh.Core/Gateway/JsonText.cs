using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;

namespace McpSsh.Gateway;

/// <summary>
/// Reads a string out of a parsed message without throwing: GetValue&lt;string&gt; throws on a number and on a
/// lone surrogate escape, and a backend's odd field must cost that field, not the merged answer (issue 11).
/// </summary>
internal static class JsonText
{
    public static string? String(JsonNode? node)
    {
        try
        {
            return node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.TryGetValue(out string? text) ? text : null;
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            return null;
        }
    }

    public static string? String(JsonElement element)
    {
        try
        {
            return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            return null;
        }
    }

    /// <summary>
    /// The first member of <paramref name="item"/> named <paramref name="name"/> (ASCII), compared on the raw
    /// escaped name: TryGetProperty and NameEquals unescape every name they pass and throw on a lone surrogate.
    /// </summary>
    public static JsonElement? Property(JsonElement item, string name)
    {
        foreach (JsonProperty member in item.EnumerateObject())
        {
            if (IsNamed(member, name))
            {
                return member.Value;
            }
        }

        return null;
    }

    /// <summary>True when the member's name is <paramref name="name"/> (ASCII), however it was escaped.</summary>
    public static bool IsNamed(JsonProperty member, string name)
    {
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8PropertyName(member);
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return raw.Length == name.Length && Encoding.ASCII.GetString(raw) == name;
        }

        return RequestId.Canonical(raw, out _) == "\"" + name + "\"";
    }

    /// <summary>True when the node can be written back out (no lone surrogate anywhere in it).</summary>
    public static bool IsWritable(JsonNode node)
    {
        try
        {
            _ = JsonFrameWriter.Write(node);
            return true;
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            return false;
        }
    }
}
