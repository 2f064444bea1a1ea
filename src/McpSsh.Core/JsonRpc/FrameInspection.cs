namespace McpSsh.JsonRpc;

/// <summary>The outcome of inspecting one frame: its <see cref="FrameInfo"/>, or why it cannot be relayed.</summary>
public readonly record struct FrameInspection(bool IsValid, FrameInfo Info, JsonRpcErrorCode ErrorCode, string? Error)
{
    public static FrameInspection Valid(FrameInfo info) => new(true, info, default, null);

    public static FrameInspection Invalid(JsonRpcErrorCode code, string error, string? recoveredId) =>
        new(false, new FrameInfo(FrameKind.Other, recoveredId, null, null), code, error);
}
