namespace McpSsh.JsonRpc;

/// <summary>
/// What the relay needs to know about a valid frame. Ids are kept as their raw JSON text
/// (<c>7</c>, <c>"abc"</c>) so an error response can echo them exactly.
/// </summary>
public readonly record struct FrameInfo(
    FrameKind Kind,
    string? Id,
    string? Method,
    string? CancelledRequestId);
