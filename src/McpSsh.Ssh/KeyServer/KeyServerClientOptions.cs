namespace McpSsh.Ssh.KeyServer;

/// <summary>How the key-server client may reach the key server.</summary>
public sealed record KeyServerClientOptions
{
    /// <summary>The port tried first, over TLS. 443 as the Python client (a key server behind a TLS proxy); tests use others.</summary>
    public int HttpsPort { get; init; } = 443;

    /// <summary>
    /// --key-server-allow-http-token: the bearer token may be sent over plain HTTP (readable by anyone on the path).
    /// Without it, registering with a token is refused unless the key server answered over TLS.
    /// </summary>
    public bool AllowHttpToken { get; init; }
}
