using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpSsh.Gateway;

/// <summary>
/// The pagination cursor the gateway hands out for a merged list: which backends still have pages, and each
/// one's own cursor. Opaque to the host (base64url of a small JSON object).
/// </summary>
public static class CompositeCursor
{
    public static string Encode(IReadOnlyDictionary<string, string> cursors)
    {
        var json = new JsonObject();
        foreach ((string backend, string cursor) in cursors)
        {
            json[backend] = cursor;
        }

        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Decodes a cursor this gateway issued; false for anything else (the host gets -32602).</summary>
    public static bool TryDecode(string cursor, out Dictionary<string, string> cursors)
    {
        cursors = [];
        try
        {
            string base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            if (JsonNode.Parse(Convert.FromBase64String(base64)) is not JsonObject json || json.Count == 0)
            {
                return false;
            }

            foreach ((string backend, JsonNode? value) in json)
            {
                if (value is not JsonValue v || !v.TryGetValue(out string? backendCursor))
                {
                    return false;
                }

                cursors[backend] = backendCursor;
            }

            return true;
        }
        catch (Exception ex) when (JsonRpc.ParserFaults.IsParserFault(ex))
        {
            // Not base64, not JSON, a duplicate key, a lone surrogate: not a cursor this gateway issued.
            return false;
        }
    }
}
