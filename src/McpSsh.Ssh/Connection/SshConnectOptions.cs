namespace McpSsh.Ssh;

/// <summary>Everything needed to open the SSH link to the remote MCP server.</summary>
public sealed record SshConnectOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 8022;

    public required string Username { get; init; }

    public required string PrivateKeyPath { get; init; }

    /// <summary>Never logged.</summary>
    public string? Passphrase { get; init; }

    public required string KnownHostsPath { get; init; }

    public HostKeyPolicy HostKeyPolicy { get; init; } = HostKeyPolicy.Strict;

    /// <summary>Bounds TCP connect, key exchange, authentication and channel open, each.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Null: a shell request without a pty (what the Python server accepts). Otherwise an exec request.</summary>
    public string? RemoteCommand { get; init; }

    /// <summary>
    /// ShellStream buffers writes up to this size and sends packets of at most this size; its 1 KiB default
    /// made 1 KiB packets (0.4x throughput, 4x CPU in PROTOCOL.md §7 measurements).
    /// </summary>
    public int ChannelBufferSize { get; init; } = 64 * 1024;

    /// <summary>"host:port" as users wrote it, for messages.</summary>
    public string Endpoint => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
