namespace McpSsh.Ssh.Proxy;

/// <summary>
/// A way to the next SSH server that is not a plain TCP connect (a jump host, a ProxyCommand): SSH.NET connects
/// to <see cref="Gate"/> as a SOCKS5 proxy, and the tunnel carries the bytes on. Disposed with the connection.
/// </summary>
internal interface ITunnel : IAsyncDisposable
{
    Socks5Gate Gate { get; }

    /// <summary>What the tunnel is, for messages: <c>jump host bastion:22</c>, <c>ProxyCommand nc %h %p</c>.</summary>
    string Description { get; }

    /// <summary>Why the tunnel failed to carry the connection, when it knows (e.g. the jump host refused to forward).</summary>
    string? Failure { get; }

    /// <summary>True once the far side sent anything back (an SSH server's banner comes first).</summary>
    bool Answered { get; }

    /// <summary>What it likely means when nothing came back through the tunnel at all.</summary>
    string SilenceHint { get; }

    /// <summary>How that silence is reported: a jump host that will not forward is unreachable; a silent command timed out.</summary>
    ConnectFailure SilenceFailure { get; }
}
