using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;

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

    /// <summary>
    /// The era the backend is served in, learnt by the probe at start (server/discover answered: modern;
    /// refused, silent or exited: legacy) and kept across restarts, so a legacy server that exits on the
    /// unknown method is not probed again.
    /// </summary>
    public McpEra Era { get; set; } = McpEra.Unknown;

    /// <summary>A modern backend's server/discover result (its capabilities, instructions, serverInfo in _meta).</summary>
    public JsonObject? DiscoverResult { get; set; }

    /// <summary>True while the discover probe is out: an exit then means "legacy, restart and initialize", not failure.</summary>
    public bool Probing { get; set; }

    /// <summary>What the backend offers, whichever era told it.</summary>
    public JsonObject? Capabilities => (Era == McpEra.Modern ? DiscoverResult : InitializeResult)?["capabilities"] as JsonObject;
}

/// <summary>The two MCP eras: legacy (initialize, 2025-11-25 and older) and modern (2026-07-28, per-request _meta).</summary>
public enum McpEra
{
    Unknown,
    Legacy,
    Modern,
}

/// <summary>A request the gateway sent to a backend and still waits for.</summary>
/// <param name="ClientId">Raw JSON id of the host's request to answer, or null for the gateway's own (fan-out) requests.</param>
/// <param name="Completion">For the gateway's own requests: completes with the backend's response.</param>
/// <param name="Method">For a host request: its method (the bridge between eras adapts the answer by it).</param>
/// <param name="Request">For a legacy host's request to a modern backend: the request, kept to retry it with inputResponses.</param>
internal sealed record PendingRequest(Backend Backend, string? ClientId, TaskCompletionSource<BackendAnswer>? Completion, string? Method = null, JsonObject? Request = null);

/// <summary>
/// A backend's response to one of the gateway's own requests, kept as bytes: merged lists are written from
/// them without building a JSON tree; initialize and broadcast answers are parsed on demand.
/// </summary>
internal sealed class BackendAnswer(byte[] frame)
{
    public byte[] Frame { get; } = frame;

    /// <summary>The answer as a tree; one the tree cannot hold (a duplicate key) reads as an error answer.</summary>
    public JsonObject ToObject()
    {
        try
        {
            var answer = JsonNode.Parse(Frame) as JsonObject ?? [];
            _ = answer.Count; // materialises the members now, so a duplicate key fails here
            return answer;
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            return Contracts.Node(new JsonRpcErrorResponse(null, new JsonRpcErrorDetail((int)JsonRpcErrorCode.InternalError, $"unreadable answer: {ex.Message}")), JsonRpcJsonContext.Default.JsonRpcErrorResponse);
        }
    }

    /// <summary>What the gateway reports in place of an answer that never came (exit, timeout).</summary>
    public static BackendAnswer Error(string message) => new(JsonSerializer.SerializeToUtf8Bytes(
        new JsonRpcErrorResponse(null, new JsonRpcErrorDetail((int)JsonRpcErrorCode.ConnectionClosed, message)), JsonRpcJsonContext.Default.JsonRpcErrorResponse));
}

/// <summary>A request a backend sent to the host (sampling, elicitation, roots...), under a gateway-unique id.</summary>
/// <param name="OriginalId">The backend's own id, as canonical raw JSON text.</param>
/// <param name="Completion">For the gateway's own request to the host (an input_required bridged for a modern backend): its answer.</param>
internal sealed record ServerRequest(Backend? Backend, string OriginalId, TaskCompletionSource<BackendAnswer>? Completion = null);
