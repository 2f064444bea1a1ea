namespace McpSsh.JsonRpc;

/// <summary>JSON-RPC 2.0 error codes used by the relay (MCP SDKs use -32000 for "connection closed").</summary>
public enum JsonRpcErrorCode
{
    ParseError = -32700,
    InvalidRequest = -32600,
    MethodNotFound = -32601,
    InvalidParams = -32602,
    InternalError = -32603,
    ConnectionClosed = -32000,
}
