using System.Text.Json.Serialization;

namespace McpSsh.Ssh.KeyServer;

// The key server's HTTP bodies, shared by the server (McpSsh.Server) and the client (KeyServerClient). Field names
// are the Python m2m-mcp-server-ssh-server's, so either side works with the other's Python counterpart.

/// <summary>POST /register: the client's public key line.</summary>
public sealed record RegisterRequest([property: JsonPropertyName("client_pub_key")] string? ClientPubKey);

/// <summary>GET /server_pub_key: the server's SSH host key line.</summary>
public sealed record ServerPubKeyReply([property: JsonPropertyName("server_pub_key")] string? ServerPubKey);

/// <summary>GET /health ("healthy") and a successful POST /register ("success").</summary>
public sealed record StatusReply([property: JsonPropertyName("status")] string? Status)
{
    public static readonly StatusReply Healthy = new("healthy");
    public static readonly StatusReply Success = new("success");
}

/// <summary>Every refusal: 4xx with the reason.</summary>
public sealed record ErrorReply([property: JsonPropertyName("error")] string? Error);
