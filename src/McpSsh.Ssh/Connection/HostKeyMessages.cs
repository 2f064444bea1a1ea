using McpSsh.Ssh.KnownHosts;

namespace McpSsh.Ssh;

/// <summary>The refusal sentences: the host, the offered key type and fingerprint, the lines involved, and the exact fix.</summary>
internal static class HostKeyMessages
{
    public static string Unknown(string hostName, byte[] blob, string knownHostsPath) =>
        $"host key for {hostName} is not known: the server offered {Describe(blob)} and {knownHostsPath} has no entry for it. "
        + $"If that fingerprint is right (on the server: ssh-keygen -lf /etc/ssh/ssh_host_{ShortType(blob)}_key.pub), "
        + $"add this line to {knownHostsPath}: {SshKeyFormat.KnownHostsLine(hostName, blob)}  (or run once with --accept-new)";

    /// <summary>The host is known by other keys (of the offered type or not): never suggests --accept-new, which would not help.</summary>
    public static string Changed(string hostName, byte[] blob, string knownHostsPath, IReadOnlyList<KnownHostsEntry> conflicts)
    {
        string lines = string.Join(", ", conflicts.Select(e => $"{e.Location} has {SshKeyFormat.Sha256Fingerprint(e.KeyBlob)} ({e.KeyType})"));
        return $"HOST KEY CHANGED for {hostName}: the server offered {Describe(blob)}, but {lines}. "
            + "Someone may be intercepting the connection, or the server was reinstalled. "
            + $"If the change is expected, remove the stale entry with: ssh-keygen -R '{hostName}' -f '{knownHostsPath}'";
    }

    public static string Revoked(string hostName, byte[] blob, KnownHostsEntry revokedAt) =>
        $"host key for {hostName} is REVOKED: the server offered {Describe(blob)}, which {revokedAt.Location} marks @revoked. "
        + "Do not connect; ask the server's administrator for its new host key";

    private static string Describe(byte[] blob) => $"{SshKeyFormat.KeyTypeOf(blob)} {SshKeyFormat.Sha256Fingerprint(blob)}";

    private static string ShortType(byte[] blob) => SshKeyFormat.KeyTypeOf(blob) switch
    {
        "ssh-ed25519" => "ed25519",
        "ssh-rsa" => "rsa",
        var t when t.StartsWith("ecdsa", StringComparison.Ordinal) => "ecdsa",
        var t => t,
    };
}
