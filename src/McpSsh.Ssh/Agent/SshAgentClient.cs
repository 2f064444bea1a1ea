using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace McpSsh.Ssh.Agent;

/// <summary>
/// The client half of the ssh-agent protocol (draft-miller-ssh-agent): list the keys, and have one sign. Each call
/// opens its own connection, so an agent restarted or unlocked meanwhile is simply used again.
/// </summary>
public sealed class SshAgentClient(string path, TimeSpan timeout)
{
    /// <summary>OpenSSH's agent refuses messages over 256 KiB; so do we, instead of allocating what a peer claims.</summary>
    public const int MaxMessageBytes = 256 * 1024;

    private const byte Failure = 5;
    private const byte RequestIdentities = 11;
    private const byte IdentitiesAnswer = 12;
    private const byte SignRequest = 13;
    private const byte SignResponse = 14;

    public string Path { get; } = path;

    public IReadOnlyList<AgentIdentity> ListIdentities()
    {
        AgentReader reply = Exchange([RequestIdentities], "list its keys");
        byte type = reply.Byte();
        if (type != IdentitiesAnswer)
        {
            throw Unexpected(type, "list its keys");
        }

        uint count = reply.UInt32();
        var identities = new List<AgentIdentity>();
        for (uint i = 0; i < count; i++)
        {
            identities.Add(new AgentIdentity(reply.Bytes(), Encoding.UTF8.GetString(reply.Bytes())));
        }

        return identities;
    }

    /// <summary>Returns the signature blob (<c>string algorithm, string signature</c>), as SSH puts it on the wire.</summary>
    public byte[] Sign(byte[] keyBlob, byte[] data, AgentSignFlags flags)
    {
        var request = new Keys.SshWireWriter();
        request.Byte(SignRequest);
        request.String(keyBlob);
        request.String(data);
        request.UInt32((uint)flags);
        AgentReader reply = Exchange(request.ToArray(), "sign");
        byte type = reply.Byte();
        return type switch
        {
            SignResponse => reply.Bytes(),
            Failure => throw new SshAgentException($"the ssh-agent at {Path} refused to sign with the key (is it locked, was the key removed, or did a confirmation or touch time out?); unlock it with ssh-add -X or add the key with ssh-add"),
            _ => throw Unexpected(type, "sign"),
        };
    }

    private AgentReader Exchange(byte[] message, string what)
    {
        try
        {
            using Stream stream = AgentTransport.Connect(Path, timeout);
            var framed = new byte[4 + message.Length];
            BinaryPrimitives.WriteUInt32BigEndian(framed, (uint)message.Length);
            message.CopyTo(framed, 4);
            stream.Write(framed);
            stream.Flush();

            Span<byte> header = stackalloc byte[4];
            stream.ReadExactly(header);
            uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (length is 0 or > MaxMessageBytes)
            {
                throw new SshAgentException($"the ssh-agent at {Path} answered a {length}-byte message when asked to {what}; is SSH_AUTH_SOCK an ssh-agent?");
            }

            var body = new byte[length];
            stream.ReadExactly(body);
            return new AgentReader(body, Path);
        }
        catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or UnauthorizedAccessException)
        {
            throw new SshAgentException($"cannot reach the ssh-agent at {Path} to {what}: {ex.Message.TrimEnd('.')}; start one (eval $(ssh-agent) && ssh-add) or point SSH_AUTH_SOCK / IdentityAgent at it", ex);
        }
    }

    private SshAgentException Unexpected(byte type, string what) =>
        new($"the ssh-agent at {Path} answered message type {type} when asked to {what}; is SSH_AUTH_SOCK an ssh-agent?");
}
