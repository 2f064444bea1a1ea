using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace McpSsh.JsonRpc;

/// <summary>
/// Request ids as the relay and the gateway keep them: raw JSON text in one canonical spelling, made from the
/// escaped bytes of the token without ever decoding it to a .NET string (<see cref="Utf8JsonReader.GetString"/>
/// throws on a lone surrogate escape such as <c>"\ud800"</c>, which is valid JSON text; issue 11).
/// </summary>
/// <remarks>
/// Two string ids are the same id when they are the same sequence of UTF-16 code units after unescaping, so
/// <c>"a"</c> and <c>"\u0061"</c>, or <c>"é"</c> and <c>"\u00e9"</c>, share one key. The canonical text keeps
/// printable ASCII as it is, escapes <c>"</c> and <c>\</c> with a backslash and everything else as lowercase
/// <c>\uXXXX</c>, so it can hold a lone surrogate and is always valid JSON text to echo back. Numbers are kept
/// exactly as written (<c>1</c> and <c>1.0</c> are different ids, as they are to most peers).
/// </remarks>
public static class RequestId
{
    /// <summary>The canonical text of the string token the reader stands on; null if its bytes are not UTF-8.</summary>
    /// <param name="wellFormed">False when the string holds a lone surrogate: such an id is answered, never relayed.</param>
    public static string? FromStringToken(ref Utf8JsonReader reader, out bool wellFormed)
    {
        ReadOnlySpan<byte> raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        return Canonical(raw, out wellFormed);
    }

    /// <summary>The canonical text of the number token the reader stands on: its bytes as written.</summary>
    public static string FromNumberToken(ref Utf8JsonReader reader) =>
        Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);

    /// <summary>Re-spells raw id text (<c>7</c>, <c>"a"</c>) canonically; null for anything that is not one string or number.</summary>
    public static string? Canonicalize(string rawId)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(rawId));
            if (!reader.Read())
            {
                return null;
            }

            string? id = reader.TokenType switch
            {
                JsonTokenType.String => FromStringToken(ref reader, out _),
                JsonTokenType.Number => FromNumberToken(ref reader),
                _ => null,
            };
            return reader.Read() ? null : id;
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            return null;
        }
    }

    /// <summary>Unescapes the token's bytes to UTF-16 code units (lone surrogates allowed), then spells them canonically.</summary>
    internal static string? Canonical(ReadOnlySpan<byte> raw, out bool wellFormed)
    {
        wellFormed = true;
        var units = new StringBuilder(raw.Length);
        Span<char> pair = stackalloc char[2];
        for (int i = 0; i < raw.Length;)
        {
            byte b = raw[i];
            if (b == (byte)'\\')
            {
                if (i + 1 >= raw.Length)
                {
                    return null;
                }

                byte e = raw[i + 1];
                if (e == (byte)'u')
                {
                    if (i + 6 > raw.Length || !ushort.TryParse(Encoding.ASCII.GetString(raw.Slice(i + 2, 4)), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort unit))
                    {
                        return null;
                    }

                    units.Append((char)unit);
                    i += 6;
                    continue;
                }

                char? simple = e switch
                {
                    (byte)'"' => '"',
                    (byte)'\\' => '\\',
                    (byte)'/' => '/',
                    (byte)'b' => '\b',
                    (byte)'f' => '\f',
                    (byte)'n' => '\n',
                    (byte)'r' => '\r',
                    (byte)'t' => '\t',
                    _ => null,
                };
                if (simple is null)
                {
                    return null;
                }

                units.Append(simple.Value);
                i += 2;
            }
            else if (b < 0x80)
            {
                units.Append((char)b);
                i++;
            }
            else
            {
                if (Rune.DecodeFromUtf8(raw[i..], out Rune rune, out int consumed) != OperationStatus.Done)
                {
                    return null; // not UTF-8: the frame is rejected as such, with a null id
                }

                units.Append(pair[..rune.EncodeToUtf16(pair)]);
                i += consumed;
            }
        }

        var text = new StringBuilder(units.Length + 2);
        text.Append('"');
        for (int i = 0; i < units.Length; i++)
        {
            char c = units[i];
            if (char.IsHighSurrogate(c) && i + 1 < units.Length && char.IsLowSurrogate(units[i + 1]))
            {
                Escape(text, c);
                Escape(text, units[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                wellFormed = false;
                Escape(text, c);
            }
            else if (c is '"' or '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (c is >= ' ' and < (char)0x7F)
            {
                text.Append(c);
            }
            else
            {
                Escape(text, c);
            }
        }

        return text.Append('"').ToString();
    }

    private static void Escape(StringBuilder text, char c) => text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
}
