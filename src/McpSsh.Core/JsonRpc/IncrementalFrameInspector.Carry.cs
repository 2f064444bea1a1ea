namespace McpSsh.JsonRpc;

// The carry: what the reader could not finish in one part waits here for the next, kept small (long strings are
// scanned instead, whitespace between tokens is dropped).
public sealed partial class IncrementalFrameInspector
{
    /// <summary>Keeps what the reader could not finish for the next part; compacts it when it is long.</summary>
    private void Keep(ReadOnlySpan<byte> rest)
    {
        if (!_parsing)
        {
            return;
        }

        if (rest.Length <= CarryLimit)
        {
            rest.CopyTo(_carry);
            _carried = rest.Length;
            return;
        }

        Compact(rest);
    }

    /// <summary>
    /// Rewrites a long unfinished tail for the reader: whitespace between tokens goes, a finished long string
    /// becomes <c>""</c>, an unfinished long string continues in <see cref="JsonStringScanner"/>.
    /// </summary>
    private void Compact(ReadOnlySpan<byte> rest)
    {
        Span<byte> output = _carry;
        int o = 0;
        int i = 0;
        while (i < rest.Length)
        {
            byte b = rest[i];
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                i++;
            }
            else if (b == (byte)'"')
            {
                var scanner = default(JsonStringScanner);
                int end = scanner.Scan(rest[(i + 1)..]);
                if (scanner.Failed)
                {
                    SyntaxFault("invalid JSON string");
                    return;
                }

                if (end >= 0 && end + 1 <= CarryLimit)
                {
                    rest.Slice(i, end + 1).CopyTo(output[o..]);
                    o += end + 1;
                    i += end + 1;
                    continue;
                }

                if (end < 0 && rest.Length - i <= CarryLimit)
                {
                    rest[i..].CopyTo(output[o..]);
                    o += rest.Length - i;
                    break;
                }

                if (NextValueIsLooked(o))
                {
                    TooLongFault();
                    return;
                }

                if (end >= 0)
                {
                    "\"\""u8.CopyTo(output[o..]);
                    o += 2;
                    i += end + 1;
                    continue;
                }

                _longString = scanner;
                _inLongString = true;
                break;
            }
            else if (b == (byte)'-' || char.IsAsciiDigit((char)b))
            {
                int j = i;
                while (j < rest.Length && (char.IsAsciiDigit((char)rest[j]) || rest[j] is (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E'))
                {
                    j++;
                }

                if (j - i > CarryLimit)
                {
                    TooLongFault();
                    return;
                }

                rest[i..j].CopyTo(output[o..]);
                o += j - i;
                i = j;
            }
            else
            {
                output[o++] = b;
                i++;
            }

            if (o > MaxCompacted)
            {
                TooLongFault();
                return;
            }
        }

        _carried = o;
    }

    private void TooLongFault()
    {
        _fixed ??= FrameInspection.Invalid(JsonRpcErrorCode.InvalidRequest,
            $"a JSON-RPC id, method or number longer than {CarryLimit} bytes, which a streamed frame cannot carry", _recovered);
        _recoveryDone = true;
        _parsing = false;
    }
}
