namespace McpSsh.Server.KeyServer;

/// <summary>GET /: what the Python server shows, a short page documenting the API.</summary>
internal static class LandingPage
{
    public static string Html(bool tokenRequired) =>
        $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>mcp-ssh key server</title></head>
        <body>
        <h1>mcp-ssh key server</h1>
        <p>Exchanges SSH keys with <code>mcp-ssh --use-key-server</code> (and <code>m2m-mcp-server-ssh-client --use-key-server</code>).</p>
        <ul>
        <li><code>GET /server_pub_key</code> &rarr; <code>{"server_pub_key": "ssh-ed25519 AAAA..."}</code>: the SSH server's host key.</li>
        <li><code>POST /register</code> with <code>Content-Type: application/json</code> and <code>{"client_pub_key": "ssh-ed25519 AAAA..."}</code>
        &rarr; <code>{"status": "success"}</code>. Accepted: ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa of 2048 to 8192 bits, checked to be usable keys; at most 16 KiB.{{(tokenRequired ? " Requires <code>Authorization: Bearer TOKEN</code>." : "")}}</li>
        <li><code>GET /health</code> &rarr; <code>{"status": "healthy"}</code></li>
        </ul>
        <p>Errors are <code>{"error": "..."}</code> with status 400, 401, 408 (body too slow), 413, 415 or 429 (too many requests from one address; <code>Retry-After</code> says when to try again).</p>
        </body></html>
        """;
}
