using System.Buffers;

namespace McpSsh.JsonRpc;

/// <summary>
/// Checks the inside of a JSON string that is too long to hand to <see cref="System.Text.Json.Utf8JsonReader"/>
/// whole (a reader cannot take a token split across parts), with the reader's own rules: no raw control
/// character, escapes only <c>\" \\ \/ \b \f \n \r \t \uXXXX</c>. UTF-8 is checked for the whole frame elsewhere,
/// as the reader does not check it inside strings either.
/// </summary>
internal struct JsonStringScanner
{
    // Bytes that end the fast scan: the closing quote, an escape, or a control character (an error).
    private static readonly SearchValues<byte> s_special = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    private bool _escape;
    private int _hexLeft;

    public bool Failed { get; private set; }

    /// <summary>
    /// Scans the next bytes of the string (after its opening quote). Returns the index just after the closing
    /// quote, or -1 when the span ended inside the string or <see cref="Failed"/> became true.
    /// </summary>
    public int Scan(ReadOnlySpan<byte> span)
    {
        int i = 0;
        while (i < span.Length && !Failed)
        {
            if (_hexLeft > 0)
            {
                Failed = !char.IsAsciiHexDigit((char)span[i]);
                _hexLeft--;
                i++;
            }
            else if (_escape)
            {
                _escape = false;
                switch (span[i])
                {
                    case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                        break;
                    case (byte)'u':
                        _hexLeft = 4;
                        break;
                    default:
                        Failed = true;
                        break;
                }

                i++;
            }
            else
            {
                int at = span[i..].IndexOfAny(s_special);
                if (at < 0)
                {
                    return -1;
                }

                i += at;
                switch (span[i])
                {
                    case (byte)'"':
                        return i + 1;
                    case (byte)'\\':
                        _escape = true;
                        i++;
                        break;
                    default:
                        Failed = true; // a raw control character
                        break;
                }
            }
        }

        return -1;
    }
}
