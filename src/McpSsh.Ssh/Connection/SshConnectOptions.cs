namespace McpSsh.Ssh;

/// <summary>Everything needed to open the SSH link to the remote MCP server.</summary>
public sealed record SshConnectOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 8022;

    public required string Username { get; init; }

    /// <summary>The key named in messages and registered with --use-key-server: the first of <see cref="IdentityFiles"/>.</summary>
    public required string PrivateKeyPath { get; init; }

    /// <summary>Key files tried in order after the agent's keys (OpenSSH's order); empty means <see cref="PrivateKeyPath"/> alone.</summary>
    public IReadOnlyList<string> IdentityFiles { get; init; } = [];

    /// <summary>True when the key files came from the OpenSSH config (a missing one is skipped, as ssh does) rather than --client-key.</summary>
    public bool IdentityFilesOptional { get; init; }

    /// <summary>ssh-agent socket (or Windows pipe); null: no agent.</summary>
    public string? AgentPath { get; init; }

    /// <summary>IdentitiesOnly: agent keys are used only when they are one of <see cref="IdentityFiles"/>.</summary>
    public bool IdentitiesOnly { get; init; }

    /// <summary>User certificates (CertificateFile), each used with the key it certifies.</summary>
    public IReadOnlyList<string> CertificateFiles { get; init; } = [];

    /// <summary>Never logged.</summary>
    public string? Passphrase { get; init; }

    /// <summary>The known_hosts file new keys are added to (first UserKnownHostsFile).</summary>
    public required string KnownHostsPath { get; init; }

    /// <summary>Further files that are read, never written (other UserKnownHostsFile entries, GlobalKnownHostsFile).</summary>
    public IReadOnlyList<string> ReadOnlyKnownHostsPaths { get; init; } = [];

    /// <summary>HostKeyAlias: the name host keys are looked up and recorded under instead of <c>[host]:port</c>.</summary>
    public string? HostKeyAlias { get; init; }

    /// <summary>HashKnownHosts: record new host names hashed, as <c>ssh-keygen -H</c> writes them.</summary>
    public bool HashKnownHosts { get; init; }

    /// <summary>ProxyJump hops, first hop first, each resolved and checked like the target.</summary>
    public IReadOnlyList<SshConnectOptions> JumpHosts { get; init; } = [];

    /// <summary>ProxyCommand with its tokens expanded; null: a direct TCP connection.</summary>
    public string? ProxyCommand { get; init; }

    /// <summary>The name host keys are looked up under: the alias, else <c>host</c> on port 22 and <c>[host]:port</c> otherwise.</summary>
    public string KnownHostsName => HostKeyAlias ?? KnownHosts.SshKeyFormat.HostName(Host, Port);

    /// <summary><see cref="IdentityFiles"/>, or the one <see cref="PrivateKeyPath"/>.</summary>
    public IReadOnlyList<string> Keys => IdentityFiles.Count > 0 ? IdentityFiles : [PrivateKeyPath];

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
