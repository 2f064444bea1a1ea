using System.Buffers.Binary;

namespace McpSsh.Ssh.Agent;

/// <summary>Reads an agent reply: bytes, uint32 and length-prefixed strings, never past the message.</summary>
internal sealed class AgentReader(byte[] message, string path)
{
    private int _offset;

    public byte Byte() => _offset < message.Length ? message[_offset++] : throw Truncated();

    public uint UInt32()
    {
        if (message.Length - _offset < 4)
        {
            throw Truncated();
        }

        uint value = BinaryPrimitives.ReadUInt32BigEndian(message.AsSpan(_offset));
        _offset += 4;
        return value;
    }

    public byte[] Bytes()
    {
        uint length = UInt32();
        if (length > (uint)(message.Length - _offset))
        {
            throw Truncated();
        }

        byte[] value = message.AsSpan(_offset, (int)length).ToArray();
        _offset += (int)length;
        return value;
    }

    private SshAgentException Truncated() => new($"the ssh-agent at {path} sent a truncated message");
}
