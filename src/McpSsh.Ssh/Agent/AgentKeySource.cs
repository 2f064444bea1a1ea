using Renci.SshNet;
using Renci.SshNet.Security;

namespace McpSsh.Ssh.Agent;

/// <summary>
/// One agent-held key as a key source for SSH.NET: RSA keys (and RSA certificates) offer rsa-sha2-512 then
/// rsa-sha2-256, never SHA-1 <c>ssh-rsa</c> (OpenSSH 8.8+ refuses it, at the cost of an authentication attempt);
/// every other type offers its own algorithm.
/// </summary>
public sealed class AgentKeySource : IPrivateKeySource
{
    private const string CertSuffix = "-cert-v01@openssh.com";

    /// <param name="certificate">A user certificate for this key (its algorithms are offered first), or null.</param>
    public AgentKeySource(AgentIdentity identity, SshAgentClient agent, byte[]? certificate = null)
    {
        Identity = identity;
        List<HostAlgorithm> algorithms = [];
        if (certificate is not null)
        {
            string certType = KnownHosts.SshKeyFormat.KeyTypeOf(certificate);
            algorithms.AddRange(certType == "ssh-rsa" + CertSuffix
                ? [
                    new AgentHostAlgorithm("rsa-sha2-512" + CertSuffix, identity, AgentSignFlags.RsaSha2_512, agent, certificate),
                    new AgentHostAlgorithm("rsa-sha2-256" + CertSuffix, identity, AgentSignFlags.RsaSha2_256, agent, certificate),
                ]
                : [new AgentHostAlgorithm(certType, identity, AgentSignFlags.None, agent, certificate)]);
        }

        algorithms.AddRange(Plain(identity, agent));
        HostKeyAlgorithms = algorithms;
    }

    private static List<HostAlgorithm> Plain(AgentIdentity identity, SshAgentClient agent)
    {
        string type = identity.KeyType;
        return type switch
        {
            "ssh-rsa" =>
            [
                new AgentHostAlgorithm("rsa-sha2-512", identity, AgentSignFlags.RsaSha2_512, agent),
                new AgentHostAlgorithm("rsa-sha2-256", identity, AgentSignFlags.RsaSha2_256, agent),
            ],
            "ssh-rsa" + CertSuffix =>
            [
                new AgentHostAlgorithm("rsa-sha2-512" + CertSuffix, identity, AgentSignFlags.RsaSha2_512, agent),
                new AgentHostAlgorithm("rsa-sha2-256" + CertSuffix, identity, AgentSignFlags.RsaSha2_256, agent),
            ],
            _ => [new AgentHostAlgorithm(type, identity, AgentSignFlags.None, agent)],
        };
    }

    public AgentIdentity Identity { get; }

    public IReadOnlyCollection<HostAlgorithm> HostKeyAlgorithms { get; }
}
