using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;

namespace McpSsh.Resilience;

/// <summary>One of the host's <c>subscriptions/listen</c> requests still open: its frame as sent, and the list_changed kinds it asked for.</summary>
/// <param name="Id">The host's id, as raw JSON text (<c>"listen:0"</c>, <c>7</c>).</param>
/// <param name="ListChanged">The list_changed notification methods the filter asked for (tools, prompts, resources).</param>
public sealed record OpenListen(string Id, byte[] Frame, IReadOnlyList<string> ListChanged);

/// <summary>
/// The host's open <c>subscriptions/listen</c> requests (MCP 2026-07-28). A listen is answered only when it ends:
/// it opens with the host's request and closes with the server's response for its id (a result when the server
/// ends it, an error when it refused it) or with the host's <c>notifications/cancelled</c> for its id, or when
/// the relay answered it itself. What is open when a link is lost is re-sent on the next link.
/// </summary>
public sealed class OpenListens
{
    private static readonly (string Filter, string Method)[] s_listChanged =
    [
        (McpSubscriptionFilter.ToolsListChanged, McpMethods.ToolsListChanged),
        (McpSubscriptionFilter.PromptsListChanged, McpMethods.PromptsListChanged),
        (McpSubscriptionFilter.ResourcesListChanged, McpMethods.ResourcesListChanged),
    ];

    private readonly Lock _lock = new();
    private readonly List<OpenListen> _open = [];

    public bool IsOpen(string? id)
    {
        if (id is null)
        {
            return false;
        }

        lock (_lock)
        {
            return _open.Exists(l => l.Id == id);
        }
    }

    /// <summary>The open listens, oldest first.</summary>
    public List<OpenListen> Snapshot()
    {
        lock (_lock)
        {
            return [.. _open];
        }
    }

    public void Open(string id, ReadOnlySequence<byte> frame)
    {
        var listen = new OpenListen(id, frame.ToArray(), ListChangedAskedFor(frame));
        lock (_lock)
        {
            _open.RemoveAll(l => l.Id == id); // a host that reuses the id of a listen it closed
            _open.Add(listen);
        }
    }

    /// <summary>Ends the listen with this id; false if none was open.</summary>
    public bool Close(string? id)
    {
        if (id is null)
        {
            return false;
        }

        lock (_lock)
        {
            return _open.RemoveAll(l => l.Id == id) > 0;
        }
    }

    /// <summary>
    /// The listen id a notification is stamped with (<c>params._meta</c> subscriptionId), as raw JSON text in the
    /// canonical spelling request ids are kept in (<see cref="RequestId"/>); null when it carries none.
    /// </summary>
    public static string? SubscriptionIdOf(ReadOnlySequence<byte> notification)
    {
        try
        {
            var reader = new Utf8JsonReader(notification);
            return JsonNode.Parse(ref reader)?["params"]?[McpMetaKeys.Meta]?[McpMetaKeys.SubscriptionId] is JsonValue id
                && id.GetValueKind() is JsonValueKind.String or JsonValueKind.Number
                ? RequestId.Canonicalize(id.ToJsonString())
                : null;
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            return null;
        }
    }

    /// <summary>The list_changed methods whose filter key is <c>true</c> in <c>params.notifications</c>.</summary>
    private static List<string> ListChangedAskedFor(ReadOnlySequence<byte> frame)
    {
        var methods = new List<string>();
        try
        {
            var reader = new Utf8JsonReader(frame);
            if (JsonNode.Parse(ref reader)?["params"]?[McpSubscriptionFilter.Notifications] is JsonObject filter)
            {
                foreach ((string key, string method) in s_listChanged)
                {
                    if (filter[key] is JsonValue value && value.GetValueKind() == JsonValueKind.True)
                    {
                        methods.Add(method);
                    }
                }
            }
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            // Duplicate keys and the like: the listen is still re-sent; only the re-list hint for it is lost.
        }

        return methods;
    }
}
