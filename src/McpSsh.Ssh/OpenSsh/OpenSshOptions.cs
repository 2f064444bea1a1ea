namespace McpSsh.Ssh.OpenSsh;

/// <summary>
/// What mcp-ssh tells the system's ssh when it is the transport (<c>--ssh-command</c>). Only what the user gave
/// explicitly, or a Python-client default the OpenSSH config does not override, is passed; everything else is
/// ssh's own config, agent and keys.
/// </summary>
public sealed record OpenSshOptions
{
    /// <summary>The ssh program: <c>ssh</c> (found on PATH) or a full path.</summary>
    public required string Command { get; init; }

    /// <summary>The host or ssh_config alias, as typed.</summary>
    public required string Destination { get; init; }

    public int? Port { get; init; }

    public string? User { get; init; }

    public string? IdentityFile { get; init; }

    public string? KnownHostsFile { get; init; }

    /// <summary><c>yes</c>, <c>accept-new</c> or <c>no</c> when a flag chose it; null leaves it to ssh's config (BatchMode turns <c>ask</c> into a refusal).</summary>
    public string? StrictHostKeyChecking { get; init; }

    /// <summary>ssh's <c>-F</c>: a config file, <c>none</c> for no config at all, or null for ssh's defaults.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>ssh's <c>-J</c>, when given on our command line.</summary>
    public string? JumpHosts { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Null: ssh asks for a shell (no pty). Otherwise the remote command (an exec request).</summary>
    public string? RemoteCommand { get; init; }

    /// <summary>For messages: the destination with the explicit port.</summary>
    public string Endpoint => Port is { } p ? $"{Destination}:{p}" : Destination;
}
