namespace McpSsh.JsonRpc;

// The one place MCP's words live: method names, reserved _meta keys, protocol versions and error codes.
// Sources: the MCP specification 2025-11-25 and 2026-07-28, and the wire captures in docs/mcp-2026-07-28-wire.md.

/// <summary>JSON-RPC method names of both MCP eras.</summary>
public static class McpMethods
{
    // Lifecycle. initialize, notifications/initialized, ping and logging/setLevel exist only in the legacy era
    // (2025-11-25 and older); server/discover and subscriptions/listen only in the modern era (2026-07-28).
    public const string Initialize = "initialize";
    public const string Initialized = "notifications/initialized";
    public const string Ping = "ping";
    public const string SetLevel = "logging/setLevel";
    public const string Discover = "server/discover";
    public const string Listen = "subscriptions/listen";

    public const string ToolsList = "tools/list";
    public const string ToolsCall = "tools/call";
    public const string PromptsList = "prompts/list";
    public const string PromptsGet = "prompts/get";
    public const string ResourcesList = "resources/list";
    public const string ResourcesRead = "resources/read";
    public const string ResourceTemplatesList = "resources/templates/list";
    public const string ResourcesSubscribe = "resources/subscribe";
    public const string ResourcesUnsubscribe = "resources/unsubscribe";
    public const string Complete = "completion/complete";

    // Server-to-client requests (legacy era; the modern era asks through input_required results).
    public const string CreateMessage = "sampling/createMessage";
    public const string Elicit = "elicitation/create";
    public const string ListRoots = "roots/list";

    public const string Cancelled = "notifications/cancelled";
    public const string Progress = "notifications/progress";
    public const string Message = "notifications/message";
    public const string ToolsListChanged = "notifications/tools/list_changed";
    public const string PromptsListChanged = "notifications/prompts/list_changed";
    public const string ResourcesListChanged = "notifications/resources/list_changed";
    public const string ResourceUpdated = "notifications/resources/updated";
    public const string RootsListChanged = "notifications/roots/list_changed";
    public const string SubscriptionsAcknowledged = "notifications/subscriptions/acknowledged";
}

/// <summary>Reserved keys of <c>params._meta</c> and <c>result._meta</c>.</summary>
public static class McpMetaKeys
{
    public const string Meta = "_meta";
    public const string ProgressToken = "progressToken";
    public const string ProtocolVersion = "io.modelcontextprotocol/protocolVersion";
    public const string ClientCapabilities = "io.modelcontextprotocol/clientCapabilities";
    public const string ClientInfo = "io.modelcontextprotocol/clientInfo";
    public const string LogLevel = "io.modelcontextprotocol/logLevel";
    public const string ServerInfo = "io.modelcontextprotocol/serverInfo";
    public const string SubscriptionId = "io.modelcontextprotocol/subscriptionId";

    /// <summary>The keys of the 2026-07-28 per-request envelope (what a bridge to a legacy server strips).</summary>
    public static readonly string[] Envelope = [ProtocolVersion, ClientCapabilities, ClientInfo, LogLevel];
}

/// <summary>Member names and values of 2026-07-28 results and requests the gateway reads or writes.</summary>
public static class McpFields
{
    public const string ResultType = "resultType";
    public const string TtlMs = "ttlMs";
    public const string CacheScope = "cacheScope";
    public const string Complete = "complete";
    public const string InputRequired = "input_required";
    public const string Private = "private";
    public const string Public = "public";
    public const string InputRequests = "inputRequests";
    public const string InputResponses = "inputResponses";
    public const string RequestState = "requestState";

    // subscriptions/listen filter (params.notifications) keys.
    public const string Notifications = "notifications";
    public const string ToolsListChanged = "toolsListChanged";
    public const string PromptsListChanged = "promptsListChanged";
    public const string ResourcesListChanged = "resourcesListChanged";
    public const string ResourceSubscriptions = "resourceSubscriptions";

    /// <summary>Log levels of <c>io.modelcontextprotocol/logLevel</c> and logging/setLevel, least severe first.</summary>
    public static readonly string[] LogLevels = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];
}

/// <summary>Protocol revisions mcp-ssh knows.</summary>
public static class McpProtocolVersions
{
    public const string Modern = "2026-07-28";
    public const string LatestLegacy = "2025-11-25";

    /// <summary>Revisions that use initialize (the legacy era), newest first.</summary>
    public static readonly string[] Legacy = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];
}

/// <summary>JSON-RPC 2.0 and MCP error codes mcp-ssh writes or recognises.</summary>
public enum JsonRpcErrorCode
{
    ParseError = -32700,
    InvalidRequest = -32600,
    MethodNotFound = -32601,
    InvalidParams = -32602,
    InternalError = -32603,

    /// <summary>MCP SDKs use -32000 for "connection closed".</summary>
    ConnectionClosed = -32000,

    /// <summary>Legacy era: a resource that does not exist (2026-07-28 servers use -32602 with data.uri).</summary>
    ResourceNotFound = -32002,

    /// <summary>2026-07-28: the request's clientCapabilities lack what an input request needs (data.requiredCapabilities).</summary>
    MissingClientCapability = -32021,

    /// <summary>2026-07-28: unsupported protocol version (data.supported, data.requested).</summary>
    UnsupportedProtocolVersion = -32022,
}
