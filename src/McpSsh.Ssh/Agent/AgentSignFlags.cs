namespace McpSsh.Ssh.Agent;

/// <summary>Flags of a sign request (draft-miller-ssh-agent 4.5.1): which hash an RSA key signs with.</summary>
[Flags]
public enum AgentSignFlags : uint
{
    None = 0,
    RsaSha2_256 = 2,
    RsaSha2_512 = 4,
}
