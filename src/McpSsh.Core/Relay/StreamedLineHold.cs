using System.Buffers;
using McpSsh.JsonRpc;

namespace McpSsh.Relay;

/// <summary>
/// What of a streamed line may go on now (issue 16). Two things wait for the line's end:
/// <list type="bullet">
/// <item>The top-level object's closing brace. Once it is sent, the bytes sent are a whole JSON text, and a line
/// abandoned after that (trailing garbage, or trailing whitespace past --max-frame-bytes) would be a valid message
/// for the reader: a request the host was told was not delivered, or an answer besides the relay's error. Held
/// back, every abandoned line ends incomplete, so any parser (even one that ignores trailing bytes) rejects it.
/// Whitespace after the brace is insignificant and dropped; the brace goes with the line's newline.</item>
/// <item>Leading whitespace: a line that turns out blank is skipped, as a short blank line is
/// (<see cref="McpSsh.Framing.LineFrameReader"/>), instead of reaching the reader as a line it must reject.</item>
/// </list>
/// So at most one byte is held, whatever the line's size.
/// </summary>
public sealed class StreamedLineHold
{
    private static readonly ReadOnlySequence<byte> s_closingBrace = new("}"u8.ToArray());

    private bool _content;
    private bool _closed;

    /// <summary>True while nothing but whitespace has been seen in the line.</summary>
    public bool Blank => !_content;

    /// <summary>Starts over for the next line.</summary>
    public void Reset()
    {
        _content = false;
        _closed = false;
    }

    /// <summary>
    /// The bytes of <paramref name="part"/> (already fed to <paramref name="check"/>, which is not doomed) that may
    /// go on now; empty when none may.
    /// </summary>
    public ReadOnlySequence<byte> Pass(ReadOnlySequence<byte> part, IncrementalFrameInspector check)
    {
        if (_closed)
        {
            return ReadOnlySequence<byte>.Empty; // whitespace after the value (anything else dooms the line)
        }

        if (!_content)
        {
            long first = IndexOfContent(part, last: false);
            if (first < 0)
            {
                return ReadOnlySequence<byte>.Empty;
            }

            _content = true;
            part = part.Slice(first);
        }

        if (check.ValueClosed)
        {
            // The brace closed the value in this part, so it is the part's last byte that is not whitespace.
            _closed = true;
            return part.Slice(0, IndexOfContent(part, last: true));
        }

        return part;
    }

    /// <summary>The line's last bytes, for a line that turned out valid: the held brace, or <paramref name="last"/>.</summary>
    public ReadOnlySequence<byte> Last(ReadOnlySequence<byte> last) => _closed ? s_closingBrace : last;

    /// <summary>True when <paramref name="last"/> ends a line that is whitespace only (it is skipped).</summary>
    public bool IsBlankLine(ReadOnlySequence<byte> last) => !_content && IndexOfContent(last, last: false) < 0;

    private static long IndexOfContent(ReadOnlySequence<byte> bytes, bool last)
    {
        long index = 0;
        long found = -1;
        foreach (ReadOnlyMemory<byte> segment in bytes)
        {
            ReadOnlySpan<byte> span = segment.Span;
            int at = last ? span.LastIndexOfAnyExcept(" \t\r\n"u8) : span.IndexOfAnyExcept(" \t\r\n"u8);
            if (at >= 0)
            {
                found = index + at;
                if (!last)
                {
                    return found;
                }
            }

            index += span.Length;
        }

        return found;
    }
}
