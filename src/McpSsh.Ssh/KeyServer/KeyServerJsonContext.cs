using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpSsh.Ssh.KeyServer;

/// <summary>
/// The source-generated JSON context of the key server's bodies (AOT: no reflection). <see cref="JsonSerializerContext"/>'s
/// Default writes as System.Text.Json always did (the client's request); <see cref="Relaxed"/> keeps '+' and '/' of key
/// lines readable in the server's answers (JSON-significant and control characters are still escaped), as the server's
/// hand-written JSON did before these contracts.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RegisterRequest))]
[JsonSerializable(typeof(ServerPubKeyReply))]
[JsonSerializable(typeof(StatusReply))]
[JsonSerializable(typeof(ErrorReply))]
public sealed partial class KeyServerJsonContext : JsonSerializerContext
{
    /// <summary>The server's answers: UnsafeRelaxedJsonEscaping (bodies are JSON, never embedded in HTML).</summary>
    public static KeyServerJsonContext Relaxed { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
