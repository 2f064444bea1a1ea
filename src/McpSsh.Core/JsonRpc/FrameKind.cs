namespace McpSsh.JsonRpc;

/// <summary>The JSON-RPC role of one frame, read from its top-level members.</summary>
public enum FrameKind
{
    /// <summary>Has <c>method</c> and <c>id</c>: expects an answer.</summary>
    Request,

    /// <summary>Has <c>method</c>, no <c>id</c>.</summary>
    Notification,

    /// <summary>Has <c>id</c> and <c>result</c> or <c>error</c>, no <c>method</c>.</summary>
    Response,

    /// <summary>A JSON object that is none of the above; relayed as it is.</summary>
    Other,
}
