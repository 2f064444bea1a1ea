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

/// <summary>Builds an agent request.</summary>
internal sealed class AgentWriter
{
    private readonly MemoryStream _buffer = new();

    public void Byte(byte value) => _buffer.WriteByte(value);

    public void UInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        _buffer.Write(bytes);
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        UInt32((uint)value.Length);
        _buffer.Write(value);
    }

    public byte[] ToArray() => _buffer.ToArray();
}
