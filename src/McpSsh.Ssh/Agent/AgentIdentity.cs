using McpSsh.Ssh.KnownHosts;

namespace McpSsh.Ssh.Agent;

/// <summary>A key an agent holds: its public blob (SSH wire format) and the comment it was added with.</summary>
public sealed record AgentIdentity(byte[] Blob, string Comment)
{
    public string KeyType => SshKeyFormat.KeyTypeOf(Blob);

    public string Fingerprint => SshKeyFormat.Sha256Fingerprint(Blob);
}
