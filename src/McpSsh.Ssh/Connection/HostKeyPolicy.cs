namespace McpSsh.Ssh;

/// <summary>What to do with host keys. Never a prompt: every verdict leads to a stated action.</summary>
public enum HostKeyPolicy
{
    /// <summary>Only keys already in known_hosts (OpenSSH <c>StrictHostKeyChecking yes</c>).</summary>
    Strict,

    /// <summary>Trust on first use: append an unknown host's key; a changed key is still refused.</summary>
    AcceptNew,

    /// <summary>Accept any key (--disable-host-key-checking). Loudly warned about.</summary>
    Disabled,
}
