using System.Buffers;

namespace McpSsh.Framing;

/// <summary>
/// Splits newline-delimited JSON-RPC (MCP stdio transport) into frames without copying.
/// Pure: it only looks at the <see cref="ReadOnlySequence{T}"/> it is given; the caller owns the pipe.
/// Tolerates CRLF and blank lines; a line above <see cref="MaxFrameBytes"/> is reported once and skipped.
/// </summary>
/// <remarks>
/// The reader remembers how far it has already searched for a newline, so a large frame arriving in many
/// small reads is scanned once, not once per read. This relies on the caller giving back the same
/// unconsumed bytes (plus new ones) after <see cref="FrameReadStatus.NeedMoreData"/>, which is what
/// <c>AdvanceTo(consumed: buffer.Start, examined: buffer.End)</c> does.
/// </remarks>
public sealed class LineFrameReader
{
    private const byte LF = (byte)'\n';
    private const byte CR = (byte)'\r';

    /// <summary>How many leading bytes of an oversized line are handed back, to recover its id.</summary>
    public const int OversizedPeekBytes = 4096;

    private long _searched;
    private bool _discarding;

    public LineFrameReader(long maxFrameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameBytes, 2);
        MaxFrameBytes = maxFrameBytes;
    }

    public long MaxFrameBytes { get; }

    /// <summary>
    /// Tries to take one frame from the front of <paramref name="buffer"/>. On return, <paramref name="buffer"/>
    /// starts after everything consumed; <paramref name="frame"/> stays valid until the caller advances the pipe.
    /// </summary>
    public FrameReadStatus TryRead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        while (true)
        {
            SequencePosition? newline = buffer.Slice(_searched).PositionOf(LF);

            if (_discarding)
            {
                _searched = 0;
                if (newline is null)
                {
                    buffer = buffer.Slice(buffer.End);
                    frame = default;
                    return FrameReadStatus.NeedMoreData;
                }

                buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
                _discarding = false;
                continue;
            }

            if (newline is null)
            {
                // A CR at the very end may be the CR of a CRLF, which is not part of the frame (as PartLineReader counts).
                if (buffer.Length > MaxFrameBytes && (buffer.Length > MaxFrameBytes + 1 || TrimTrailingCarriageReturn(buffer).Length > MaxFrameBytes))
                {
                    // Hand back the head for id recovery and drop the rest as it comes.
                    frame = buffer.Slice(0, Math.Min(buffer.Length, OversizedPeekBytes));
                    buffer = buffer.Slice(buffer.End);
                    _searched = 0;
                    _discarding = true;
                    return FrameReadStatus.Oversized;
                }

                _searched = buffer.Length;
                frame = default;
                return FrameReadStatus.NeedMoreData;
            }

            _searched = 0;
            ReadOnlySequence<byte> line = buffer.Slice(0, newline.Value);
            buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));

            // The limit is on the frame: a CRLF's CR is not counted, so a frame ends the same way with LF or CRLF.
            line = TrimTrailingCarriageReturn(line);
            if (line.Length > MaxFrameBytes)
            {
                frame = line.Slice(0, Math.Min(line.Length, OversizedPeekBytes));
                return FrameReadStatus.Oversized;
            }

            if (IsBlank(line))
            {
                continue;
            }

            frame = line;
            return FrameReadStatus.Frame;
        }
    }

    /// <summary>
    /// At end of input: what is left without a final newline is one last frame (a host may omit the final LF).
    /// </summary>
    public FrameReadStatus TryReadFinal(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        FrameReadStatus status = TryRead(ref buffer, out frame);
        if (status != FrameReadStatus.NeedMoreData || _discarding || buffer.IsEmpty)
        {
            return status;
        }

        ReadOnlySequence<byte> rest = TrimTrailingCarriageReturn(buffer);
        buffer = buffer.Slice(buffer.End);
        _searched = 0;
        if (IsBlank(rest))
        {
            frame = default;
            return FrameReadStatus.NeedMoreData;
        }

        frame = rest;
        return FrameReadStatus.Frame;
    }

    /// <summary>Forgets how far the buffer was searched: the caller consumed it (a streamed line's first part).</summary>
    internal void ForgetSearch() => _searched = 0;

    internal static ReadOnlySequence<byte> TrimTrailingCarriageReturn(ReadOnlySequence<byte> line)
    {
        if (line.IsEmpty)
        {
            return line;
        }

        SequencePosition last = line.GetPosition(line.Length - 1);
        return line.Slice(last).FirstSpan[0] == CR ? line.Slice(0, line.Length - 1) : line;
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (ReadOnlyMemory<byte> segment in line)
        {
            foreach (byte b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or CR))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
