using System.Text;

namespace McpSsh.Tests.Relay;

/// <summary>
/// A stream that records each write a sink makes (a syscall on stdout, a packet on an exec channel) and the bytes
/// in order; <see cref="Broken"/> makes the next writes fail as a closed pipe does.
/// </summary>
internal sealed class WriteLog : Stream
{
    private readonly MemoryStream _all = new();

    public List<string> Writes { get; } = [];

    public bool Broken { get; set; }

    /// <summary>Everything written so far, as text.</summary>
    public string Text
    {
        get
        {
            lock (_all)
            {
                return Encoding.UTF8.GetString(_all.ToArray());
            }
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _all.Length;

    public override long Position { get => _all.Position; set => throw new NotSupportedException(); }

    public byte[] ToArray()
    {
        lock (_all)
        {
            return _all.ToArray();
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Broken)
        {
            throw new IOException("broken pipe");
        }

        lock (_all)
        {
            Writes.Add(Encoding.UTF8.GetString(buffer));
            _all.Write(buffer);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
