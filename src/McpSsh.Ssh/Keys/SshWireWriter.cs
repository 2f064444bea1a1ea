using System.Buffers.Binary;
using System.Text;

namespace McpSsh.Ssh.Keys;

/// <summary>The SSH wire encoding (RFC 4251): big-endian uint32 and length-prefixed strings (key files, agent requests, blobs).</summary>
internal sealed class SshWireWriter
{
    private readonly MemoryStream _stream = new();

    public long Length => _stream.Length;

    public void Byte(byte value) => _stream.WriteByte(value);

    public void Raw(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

    public void UInt32(uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, value);
        _stream.Write(buffer);
    }

    public void String(ReadOnlySpan<byte> value)
    {
        UInt32((uint)value.Length);
        _stream.Write(value);
    }

    public void String(string value) => String(Encoding.UTF8.GetBytes(value));

    public byte[] ToArray() => _stream.ToArray();
}
