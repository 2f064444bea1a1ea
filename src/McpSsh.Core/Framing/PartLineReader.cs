using System.Buffers;

namespace McpSsh.Framing;

/// <summary>
/// <see cref="LineFrameReader"/> that hands a long line over in parts: once an unterminated line in the buffer
/// is longer than <see cref="StreamAboveBytes"/>, its bytes are returned as <see cref="FrameReadStatus.Part"/>
/// and consumed instead of waiting for the newline, and the bytes up to the newline as
/// <see cref="FrameReadStatus.LastPart"/>. The buffer then never holds more than the threshold plus one read,
/// whatever the size of the message. Shorter lines are found by <see cref="LineFrameReader"/>, unchanged.
/// </summary>
/// <remarks>
/// A line only becomes streamed when its newline has not arrived by the time it passes the threshold; a long line
/// that arrives whole in one read is a <see cref="FrameReadStatus.Frame"/> (its bytes are in memory already). A
/// CR at the end of a part is held back one read, since it may be the CR of a CRLF. A streamed line is never
/// <see cref="FrameReadStatus.Oversized"/> here: its size is the consumer's to count as the parts pass.
/// </remarks>
public sealed class PartLineReader
{
    private const byte LF = (byte)'\n';
    private const byte CR = (byte)'\r';

    private readonly LineFrameReader _lines;
    private bool _streaming;

    public PartLineReader(long maxFrameBytes, long streamAboveBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(streamAboveBytes, 1);
        _lines = new LineFrameReader(maxFrameBytes);
        StreamAboveBytes = streamAboveBytes;
    }

    public long MaxFrameBytes => _lines.MaxFrameBytes;

    public long StreamAboveBytes { get; }

    /// <summary>True between the first part of a streamed line and its last part.</summary>
    public bool InStreamedLine => _streaming;

    /// <inheritdoc cref="LineFrameReader.TryRead"/>
    public FrameReadStatus TryRead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        if (!_streaming)
        {
            FrameReadStatus status = _lines.TryRead(ref buffer, out frame);
            if (status != FrameReadStatus.NeedMoreData || buffer.Length <= StreamAboveBytes)
            {
                return status;
            }

            // No newline in the buffer (the framer searched it all) and already past the threshold.
            _streaming = true;
            _lines.ForgetSearch();
            return TakePart(ref buffer, out frame);
        }

        SequencePosition? newline = buffer.PositionOf(LF);
        if (newline is null)
        {
            return TakePart(ref buffer, out frame);
        }

        frame = LineFrameReader.TrimTrailingCarriageReturn(buffer.Slice(0, newline.Value));
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        _streaming = false;
        return FrameReadStatus.LastPart;
    }

    /// <inheritdoc cref="LineFrameReader.TryReadFinal"/>
    public FrameReadStatus TryReadFinal(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        if (!_streaming)
        {
            return _lines.TryReadFinal(ref buffer, out frame);
        }

        // Input ended inside a streamed line: what is left, up to a newline if one came, ends it.
        SequencePosition? newline = buffer.PositionOf(LF);
        frame = LineFrameReader.TrimTrailingCarriageReturn(newline is { } at ? buffer.Slice(0, at) : buffer);
        buffer = newline is { } end ? buffer.Slice(buffer.GetPosition(1, end)) : buffer.Slice(buffer.End);
        _streaming = false;
        return FrameReadStatus.LastPart;
    }

    private FrameReadStatus TakePart(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        long length = buffer.Length;
        if (length > 0 && buffer.Slice(length - 1).FirstSpan[0] == CR)
        {
            length--; // maybe the CR of a CRLF: decide when the next byte is here
        }

        frame = buffer.Slice(0, length);
        buffer = buffer.Slice(frame.End);
        return length == 0 ? FrameReadStatus.NeedMoreData : FrameReadStatus.Part;
    }
}
