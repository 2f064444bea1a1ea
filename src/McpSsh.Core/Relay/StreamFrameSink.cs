using System.Buffers;

namespace McpSsh.Relay;

/// <summary>
/// Writes frames to a stream, one line each, flushed: stdout, where both relay directions write (relayed
/// frames and the relay's own error answers), and the SSH channel's input. Writes are serialised.
/// </summary>
/// <remarks>
/// A frame of up to <see cref="CoalesceBytes"/> goes out with its newline in one write: stdout is unbuffered
/// (a write is a syscall) and so is an exec channel's input (a write is an SSH packet), and a line in two
/// writes also wakes the reader twice, once for a partial line.
/// </remarks>
public sealed class StreamFrameSink(Stream stream) : IFrameSink
{
    private const int CoalesceBytes = 64 * 1024;
    private static readonly byte[] s_newline = "\n"u8.ToArray();
    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter<byte> _line = new(4096);

    public void Write(ReadOnlySequence<byte> frame)
    {
        lock (_lock)
        {
            if (frame.Length < CoalesceBytes)
            {
                _line.ResetWrittenCount();
                foreach (ReadOnlyMemory<byte> segment in frame)
                {
                    _line.Write(segment.Span);
                }

                _line.Write(s_newline);
                stream.Write(_line.WrittenSpan);
            }
            else
            {
                foreach (ReadOnlyMemory<byte> segment in frame)
                {
                    stream.Write(segment.Span);
                }

                stream.Write(s_newline);
            }

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
