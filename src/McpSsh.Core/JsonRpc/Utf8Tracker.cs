using System.Text.Unicode;

namespace McpSsh.JsonRpc;

/// <summary>
/// Checks UTF-8 as bytes pass, part by part: a character split across parts is reassembled in a 4-byte carry,
/// so no part boundary causes a false alarm (the streaming twin of <see cref="Utf8Validator"/>).
/// </summary>
internal struct Utf8Tracker
{
    private uint _carry; // up to 3 bytes of an unfinished character, first byte lowest
    private int _carried;

    /// <summary>True once a byte sequence was seen that is not UTF-8 (sticky until <see cref="Reset"/>).</summary>
    public bool Invalid { get; private set; }

    public void Reset() => this = default;

    public void Feed(ReadOnlySpan<byte> span)
    {
        if (Invalid || span.IsEmpty)
        {
            return;
        }

        if (_carried > 0)
        {
            Span<byte> character = stackalloc byte[4];
            for (int i = 0; i < _carried; i++)
            {
                character[i] = (byte)(_carry >> (8 * i));
            }

            int need = Utf8Validator.SequenceLength(character[0]) - _carried;
            if (need > span.Length)
            {
                span.CopyTo(character[_carried..]);
                Keep(character[..(_carried + span.Length)]);
                return;
            }

            span[..need].CopyTo(character[_carried..]);
            if (!Utf8.IsValid(character[..(_carried + need)]))
            {
                Invalid = true;
                return;
            }

            span = span[need..];
            _carried = 0;
        }

        int tail = Utf8Validator.IncompleteTailLength(span);
        if (!Utf8.IsValid(span[..^tail]))
        {
            Invalid = true;
            return;
        }

        Keep(span[^tail..]);
    }

    /// <summary>At the end of the frame: an unfinished character is invalid.</summary>
    public void Finish() => Invalid |= _carried > 0;

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        _carry = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            _carry |= (uint)bytes[i] << (8 * i);
        }

        _carried = bytes.Length;
    }
}
