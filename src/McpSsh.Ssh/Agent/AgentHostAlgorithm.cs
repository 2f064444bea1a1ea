using System.Buffers.Binary;
using System.Text;
using Renci.SshNet.Security;

namespace McpSsh.Ssh.Agent;

/// <summary>
/// One way an agent-held key can sign, as SSH.NET's public-key authentication wants it: <see cref="HostAlgorithm.Name"/>
/// is the algorithm named in the userauth request, <see cref="Data"/> the public key (or certificate) blob, and
/// <see cref="Sign"/> returns the agent's signature blob (<c>string algorithm, string signature</c>) unchanged.
/// SSH.NET signs only after the server accepted the key (a query goes first), so a hardware key is asked to sign
/// once, for the key that will be used.
/// </summary>
/// <remarks>With a <paramref name="certificate"/> the certificate is what the server sees and the agent's plain key
/// signs (as ssh does when the agent holds the key but not the certificate).</remarks>
public sealed class AgentHostAlgorithm(string name, AgentIdentity identity, AgentSignFlags flags, SshAgentClient agent, byte[]? certificate = null) : HostAlgorithm(name)
{
    public AgentIdentity Identity { get; } = identity;

    public override byte[] Data => certificate ?? Identity.Blob;

    public override byte[] Sign(byte[] data)
    {
        byte[] signature = agent.Sign(Identity.Blob, data, flags);
        string signedWith = AlgorithmOf(signature);
        string expected = SignatureAlgorithm(Name);
        if (signedWith != expected)
        {
            // An agent that ignores the RSA flags signs with SHA-1, which the server would refuse as a bad signature.
            throw new SshAgentException(signedWith.Length == 0
                ? $"the ssh-agent at {agent.Path} answered a signature that is not one when asked for {expected} (key {Identity.Fingerprint})"
                : $"the ssh-agent at {agent.Path} signed with {signedWith} when asked for {expected} (key {Identity.Fingerprint}); update the agent");
        }

        return signature;
    }

    /// <summary>Only server host keys are verified; a client key never is.</summary>
    public override bool VerifySignature(byte[] data, byte[] signature) => throw new NotSupportedException("agent keys only sign");

    /// <summary>A certificate algorithm signs with its base algorithm (<c>rsa-sha2-512-cert-v01@openssh.com</c> → <c>rsa-sha2-512</c>).</summary>
    private static string SignatureAlgorithm(string name) =>
        name.EndsWith("-cert-v01@openssh.com", StringComparison.Ordinal)
            ? name[..^"-cert-v01@openssh.com".Length] switch
            {
                "ssh-rsa" => "ssh-rsa",
                var other => other.StartsWith("sk-", StringComparison.Ordinal) ? other + "@openssh.com" : other,
            }
            : name;

    private static string AlgorithmOf(byte[] signature)
    {
        if (signature.Length < 4)
        {
            return "";
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(signature);
        return length <= (uint)(signature.Length - 4) ? Encoding.ASCII.GetString(signature, 4, (int)length) : "";
    }
}
