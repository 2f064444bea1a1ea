using System.Text.Json.Nodes;

namespace McpSsh.Gateway;

/// <summary>Where a configured server is in its life, as the router sees it.</summary>
internal enum BackendState
{
    Starting,
    Ready,
    /// <summary>Did not start or answer initialize: left out for the session.</summary>
    Failed,
    /// <summary>Was ready and exited: restarted (with backoff) by the next request that needs it.</summary>
    Exited,
}

/// <summary>The router's record of one backend: its process, state, and restart bookkeeping.</summary>
internal sealed class Backend(ServerConfig config)
{
    public ServerConfig Config { get; } = config;

    public string Name => Config.Name;

    public BackendProcess? Process { get; set; }

    public BackendState State { get; set; } = BackendState.Starting;

    public string? FailureReason { get; set; }

    public int Restarts { get; set; }

    public DateTimeOffset NextRestartAt { get; set; }

    /// <summary>Serialises restarts: one at a time per backend.</summary>
    public SemaphoreSlim RestartGate { get; } = new(1, 1);

    public JsonObject? InitializeResult { get; set; }
}

/// <summary>A request the gateway sent to a backend and still waits for.</summary>
/// <param name="ClientId">Raw JSON id of the host's request to answer, or null for the gateway's own (fan-out) requests.</param>
/// <param name="Completion">For the gateway's own requests: completes with the backend's response object.</param>
internal sealed record PendingRequest(Backend Backend, string? ClientId, TaskCompletionSource<JsonObject>? Completion);

/// <summary>A request a backend sent to the host (sampling, elicitation, roots...), under a gateway-unique id.</summary>
internal sealed record ServerRequest(Backend Backend, JsonNode? OriginalId);
