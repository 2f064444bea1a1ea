using System.Buffers;

namespace McpSsh.Relay;

/// <summary>
/// Writes frames to a stream (stdout), one line each, flushed. Both relay directions may write here
/// (relayed frames and the relay's own error answers), so writes are serialised.
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
}
