namespace McpSsh.Ssh.KnownHosts;

/// <summary>What known_hosts says about the key a server offered.</summary>
public enum HostKeyVerdict
{
    /// <summary>A line for this host has exactly this key: connect.</summary>
    Known,

    /// <summary>The host is known with other key(s), of any type: refuse (possible attack), even under --accept-new.</summary>
    Changed,

    /// <summary>No line names a key for this host at all: refuse, or append under --accept-new.</summary>
    Unknown,

    /// <summary>An <c>@revoked</c> line lists this key: refuse, always.</summary>
    Revoked,
}

/// <summary>The verdict plus the lines it rests on, so the error can cite file:line.</summary>
public sealed record HostKeyCheck(HostKeyVerdict Verdict, IReadOnlyList<KnownHostsEntry> Entries);
