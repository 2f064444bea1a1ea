using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;

namespace McpSsh.Resilience;

/// <summary>
/// What a new connection must be told to continue the host's MCP session: the host's original
/// <c>initialize</c>, <c>notifications/initialized</c>, the last <c>logging/setLevel</c> and every active
/// <c>resources/subscribe</c>. Replayed requests carry relay-private ids so their answers are swallowed.
/// </summary>
public sealed class SessionReplay
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
        switch (info.Method)
        {
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
                frames.Add((null, """{"jsonrpc":"2.0","method":"notifications/initialized"}"""u8.ToArray(), McpMethods.Initialized));
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

    /// <summary>The list_changed notifications to send the host after a reconnect, for what the server declared.</summary>
    public List<byte[]> ListChangedNotifications()
    {
        JsonObject? capabilities;
        lock (_lock)
        {
            capabilities = InitializeResult?["capabilities"] as JsonObject;
        }

        var notifications = new List<byte[]>();
        foreach (string kind in new[] { "tools", "prompts", "resources" })
        {
            if (capabilities?[kind] is not null)
            {
                notifications.Add(Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","method":"notifications/{{kind}}/list_changed"}"""));
            }
        }

        return notifications;
    }

    private void AddRequest(List<(string?, byte[], string)> frames, byte[] original, string what)
    {
        string id = JsonValue.Create($"{PrivateIdPrefix}replay:{++_nextPrivateId}").ToJsonString();
        ReadOnlySequence<byte> rewritten = FrameRewriter.ReplaceId(new ReadOnlySequence<byte>(original), id) ?? new ReadOnlySequence<byte>(original);
        frames.Add((id, rewritten.ToArray(), what));
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
