using System.Buffers;

namespace McpSsh.Relay;

/// <summary>
/// Writes frames to a stream, one line each, flushed: stdout, where both relay directions write (relayed
/// frames and the relay's own error answers), and the SSH channel's input. Writes are serialised.
/// </summary>
public sealed class StreamFrameSink(Stream stream) : IFrameSink
{
    private static readonly byte[] s_newline = "\n"u8.ToArray();
    private readonly Lock _lock = new();

    public void Write(ReadOnlySequence<byte> frame)
    {
        lock (_lock)
        {
            foreach (ReadOnlyMemory<byte> segment in frame)
            {
                stream.Write(segment.Span);
            }

            stream.Write(s_newline);
            stream.Flush();
        }
    }

    /// <summary>Disposes the stream once no write is in progress (for a channel input: sends EOF).</summary>
    public void Close()
    {
        lock (_lock)
        {
            stream.Dispose();
        }
    }
}
