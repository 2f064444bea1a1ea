using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;

namespace McpSsh.Resilience;

/// <summary>
/// What a new connection must be told to continue the host's MCP session. A legacy session (2025-11-25 and
/// older): the host's original <c>initialize</c>, <c>notifications/initialized</c>, the last
/// <c>logging/setLevel</c> and every active <c>resources/subscribe</c>, under relay-private ids so their answers
/// are swallowed. A modern session (2026-07-28) has no handshake to replay: each request carries its envelope;
/// what must be re-established are the open <c>subscriptions/listen</c> requests (<see cref="Listens"/>).
/// </summary>
public sealed partial class SessionReplay
{
    /// <summary>Ids the relay itself uses (keepalive probes, replays); answers with these ids never reach the host.</summary>
    public const string PrivateIdPrefix = "mcp-ssh.internal:";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, byte[]> _subscriptions = new(StringComparer.Ordinal);
    private byte[]? _initialize;
    private string? _initializeId;
    private byte[]? _setLevel;
    private bool _initialized;
    private long _nextPrivateId;

    /// <summary>The host's open <c>subscriptions/listen</c> requests.</summary>
    public OpenListens Listens { get; } = new();

    /// <summary>The result the server gave the host's own initialize (to compare a replay's answer with).</summary>
    public JsonObject? InitializeResult { get; private set; }

    public static bool IsPrivateId(string? rawId) => rawId is not null && rawId.StartsWith("\"" + PrivateIdPrefix, StringComparison.Ordinal);

    public string NewPrivateId(string purpose)
    {
        lock (_lock)
        {
            return JsonValue.Create($"{PrivateIdPrefix}{purpose}:{++_nextPrivateId}").ToJsonString();
        }
    }

    /// <summary>Notes a host frame that matters for the session's state.</summary>
    public void OnHostFrame(FrameInfo info, ReadOnlySequence<byte> frame)
    {
        if (info.CancelledRequestId is { } cancelled)
        {
            Listens.Close(cancelled); // the host ended its listen (or cancelled an ordinary request: nothing to do)
        }

        NoteEnvelope(info, frame);

        switch (info.Method)
        {
            case McpMethods.Listen when info.Kind == FrameKind.Request:
                Listens.Open(info.Id!, frame);
                break;
            case McpMethods.Initialize when info.Kind == FrameKind.Request:
                lock (_lock)
                {
                    _initialize = frame.ToArray();
                    _initializeId = info.Id;
                }

                break;
            case McpMethods.Initialized:
                lock (_lock)
                {
                    _initialized = true;
                }

                break;
            case McpMethods.SetLevel when info.Kind == FrameKind.Request:
                lock (_lock)
                {
                    _setLevel = frame.ToArray();
                }

                break;
            case McpMethods.ResourcesSubscribe or McpMethods.ResourcesUnsubscribe when info.Kind == FrameKind.Request && UriOf(frame) is { } uri:
                lock (_lock)
                {
                    if (info.Method == McpMethods.ResourcesSubscribe)
                    {
                        _subscriptions[uri] = frame.ToArray();
                    }
                    else
                    {
                        _subscriptions.Remove(uri);
                    }
                }

                break;
        }
    }

    /// <summary>Notes a frame from the server: the answer to the host's initialize is kept for comparison.</summary>
    public void OnRemoteFrame(FrameInfo info, ReadOnlySequence<byte> frame)
    {
        if (info.Kind != FrameKind.Response || info.Id is null)
        {
            return;
        }

        if (Listens.Close(info.Id))
        {
            return; // the server ended (or refused) a listen
        }

        lock (_lock)
        {
            if (info.Id != _initializeId || InitializeResult is not null)
            {
                return;
            }
        }

        try
        {
            var reader = new Utf8JsonReader(frame);
            if (JsonNode.Parse(ref reader)?["result"] is JsonObject result)
            {
                lock (_lock)
                {
                    InitializeResult = (JsonObject)result.DeepClone();
                }
            }
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            // Duplicate keys and the like: the answer still goes to the host; only the later comparison is lost.
        }
    }

    /// <summary>The frames to send on a new connection, in order; requests get private ids (returned beside them, null for notifications).</summary>
    public List<(string? PrivateId, byte[] Frame, string What)> Frames()
    {
        lock (_lock)
        {
            var frames = new List<(string?, byte[], string)>();
            if (_initialize is null)
            {
                return frames;
            }

            AddRequest(frames, _initialize, McpMethods.Initialize);
            if (_initialized)
            {
                frames.Add((null, RelayMessages.Notification(McpMethods.Initialized), McpMethods.Initialized));
            }

            if (_setLevel is not null)
            {
                AddRequest(frames, _setLevel, McpMethods.SetLevel);
            }

            foreach ((string uri, byte[] subscribe) in _subscriptions)
            {
                AddRequest(frames, subscribe, $"resources/subscribe {uri}");
            }

            return frames;
        }
    }

    /// <summary>
    /// Compares the answer to a replayed initialize with the original: null when the same protocol version and
    /// capabilities, else what changed (the host still holds the old answer, so it is worth a warning).
    /// </summary>
    public string? DescribeChange(JsonObject? replayed)
    {
        JsonObject? original;
        lock (_lock)
        {
            original = InitializeResult;
        }

        if (original is null || replayed is null)
        {
            return replayed is null ? "the server did not answer the replayed initialize with a result" : null;
        }

        var changes = new List<string>();
        string? before = original["protocolVersion"]?.ToJsonString(), after = replayed["protocolVersion"]?.ToJsonString();
        if (before != after)
        {
            changes.Add($"protocol version {before} -> {after}");
        }

        if (!JsonNode.DeepEquals(original["capabilities"], replayed["capabilities"]))
        {
            changes.Add($"capabilities {original["capabilities"]?.ToJsonString()} -> {replayed["capabilities"]?.ToJsonString()}");
        }

        return changes.Count == 0 ? null : string.Join("; ", changes);
    }

    /// <summary>
    /// The list_changed notifications that tell the host to re-list after a reconnect. Legacy: one per kind the
    /// server declared in its initialize result. Modern: hosts accept change notifications only through a
    /// listen, so one per kind each open listen asked for, stamped with that listen's id.
    /// </summary>
    /// <param name="listens">Only these listens (ids), e.g. those re-established on a new link; null: every open one.</param>
    public List<byte[]> ListChangedNotifications(IReadOnlySet<string>? listens = null)
    {
        JsonObject? capabilities;
        lock (_lock)
        {
            capabilities = InitializeResult?["capabilities"] as JsonObject;
        }

        var notifications = new List<byte[]>();
        foreach ((string kind, string method) in new[] { ("tools", McpMethods.ToolsListChanged), ("prompts", McpMethods.PromptsListChanged), ("resources", McpMethods.ResourcesListChanged) })
        {
            if (capabilities?[kind] is not null)
            {
                notifications.Add(RelayMessages.Notification(method));
            }
        }

        foreach (OpenListen listen in Listens.Snapshot().Where(l => listens is null || listens.Contains(l.Id)))
        {
            foreach (string method in listen.ListChanged)
            {
                notifications.Add(RelayMessages.Notification(method, subscriptionId: listen.Id));
            }
        }

        return notifications;
    }

    private static string? UriOf(ReadOnlySequence<byte> frame)
    {
        try
        {
            var reader = new Utf8JsonReader(frame);
            return JsonNode.Parse(ref reader)?["params"]?["uri"] is JsonValue uri && uri.TryGetValue(out string? text) ? text : null;
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            return null;
        }
    }
}
