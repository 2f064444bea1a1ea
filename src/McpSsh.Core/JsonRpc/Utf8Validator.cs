using System.Buffers;
using System.Text.Unicode;

namespace McpSsh.JsonRpc;

/// <summary>
/// Checks that a possibly multi-segment frame is valid UTF-8 (Utf8JsonReader does not check string contents).
/// A character split across segments is reassembled in a 4-byte carry, so no segment boundary causes a false alarm.
/// </summary>
public static class Utf8Validator
{
    public static bool IsValid(ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsSingleSegment)
        {
            return Utf8.IsValid(bytes.FirstSpan);
        }

        Span<byte> carry = stackalloc byte[4];
        int carried = 0;
        foreach (ReadOnlyMemory<byte> memory in bytes)
        {
            ReadOnlySpan<byte> span = memory.Span;
            if (carried > 0)
            {
                int need = SequenceLength(carry[0]) - carried;
                if (need > span.Length)
                {
                    span.CopyTo(carry[carried..]);
                    carried += span.Length;
                    continue;
                }

                span[..need].CopyTo(carry[carried..]);
                if (!Utf8.IsValid(carry[..(carried + need)]))
                {
                    return false;
                }

                span = span[need..];
                carried = 0;
            }

            int tail = IncompleteTailLength(span);
            if (!Utf8.IsValid(span[..^tail]))
            {
                return false;
            }

            span[^tail..].CopyTo(carry);
            carried = tail;
        }

        return carried == 0;
    }

    /// <summary>How many bytes at the end start a character that continues in the next segment (0 to 3); shared with <see cref="Utf8Tracker"/>.</summary>
    internal static int IncompleteTailLength(ReadOnlySpan<byte> span)
    {
        for (int i = 1; i <= Math.Min(3, span.Length); i++)
        {
            byte b = span[^i];
            if ((b & 0xC0) == 0x80)
            {
                continue;
            }

            return SequenceLength(b) > i ? i : 0;
        }

        return 0;
    }

    // Invalid lead bytes count as 1 so that validation of the carried bytes fails.
    internal static int SequenceLength(byte lead) => lead switch
    {
        >= 0xC2 and <= 0xDF => 2,
        >= 0xE0 and <= 0xEF => 3,
        >= 0xF0 and <= 0xF4 => 4,
        _ => 1,
    };
}
