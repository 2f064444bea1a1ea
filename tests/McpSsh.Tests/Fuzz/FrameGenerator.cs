using System.Globalization;
using System.Text;

namespace McpSsh.Tests.Fuzz;

/// <summary>
/// Makes the frames the fuzz suite throws at the parsers: JSON-RPC-shaped objects whose ids, methods and
/// params take every odd shape (lone and paired surrogates as escapes and as raw bytes, every JSON type,
/// huge numbers, duplicate keys, deep nesting), then mutated (bit flips, cuts, CR/LF, truncated UTF-8), and
/// plain random bytes. Deterministic for a seed.
/// </summary>
internal sealed class FrameGenerator(int seed)
{
    private readonly Random _random = new(seed);

    private static readonly string[] s_methods =
    [
        "initialize", "ping", "tools/list", "tools/call", "prompts/get", "resources/read", "resources/list",
        "resources/templates/list", "completion/complete", "logging/setLevel", "notifications/initialized",
        "notifications/cancelled", "notifications/progress", "sampling/createMessage", "roots/list",
    ];

    /// <summary>Strings whose escaped form is the hard part: each is JSON string content (no quotes).</summary>
    private static readonly string[] s_stringBodies =
    [
        "a", "\\u0061", "abc", "", "\\ud800", "\\udc00", "\\uD800\\uDC00", "\\ud83d\\ude00", "😀", "é", "\\u00e9",
        "x\\ud800y", "\\udfff\\ud800", "\\\"", "\\\\", "\\/", "\\b\\f\\n\\r\\t", "\\u0000", "<&'>", "mcp-ssh.internal:keepalive:1",
        "\\ud800\\ud800", "\\uDBFF\\uDFFF", "tools/call", "\\u", "\\ux", "\\q",
    ];

    private static readonly string[] s_numbers =
    [
        "0", "-0", "1", "-1", "7", "42", "1.5", "1e3", "1E+3", "-1e-3", "1e400", "-1e400", "1e99999",
        "123456789012345678901234567890", "9223372036854775807", "9223372036854775808", "18446744073709551616",
        "0.0000000000000000000000001", "NaN", "Infinity", "-Infinity", "01", "1.", ".5", "+1", "0x10",
    ];

    private static readonly byte[][] s_rawOddities =
    [
        [0xED, 0xA0, 0x80], // a surrogate encoded as UTF-8: invalid
        [0xF0, 0x9F, 0x98, 0x80], // 😀
        [0xF0, 0x9F, 0x98], // truncated 4-byte sequence
        [0xE2, 0x82], // truncated 3-byte sequence
        [0xC3], // truncated 2-byte sequence
        [0xC0, 0xAF], // overlong '/'
        [0xFF], [0xFE], [0x80],
        [0xEF, 0xBB, 0xBF], // BOM
        [0x00], [0x0D], [0x0A], [0x0D, 0x0A], [0x1F],
    ];

    public byte[] Next()
    {
        int pick = _random.Next(100);
        byte[] frame = pick switch
        {
            < 55 => Message(),
            < 85 => Mutate(Message()),
            < 92 => Nested(),
            _ => RandomBytes(),
        };
        return frame;
    }

    public byte[] Message()
    {
        var members = new List<string>();
        if (_random.Next(10) > 0)
        {
            members.Add("\"jsonrpc\":\"2.0\"");
        }

        int ids = _random.Next(10) switch { 0 => 0, 1 => 2, _ => 1 };
        for (int i = 0; i < ids; i++)
        {
            members.Add(Key("id") + ":" + Value(forId: true));
        }

        bool request = _random.Next(3) > 0;
        if (request)
        {
            int methods = _random.Next(12) == 0 ? 2 : 1;
            for (int i = 0; i < methods; i++)
            {
                members.Add(Key("method") + ":" + (_random.Next(6) == 0 ? Value(forId: false) : Quoted(_random.Next(4) == 0 ? Pick(s_stringBodies) : Pick(s_methods))));
            }

            if (_random.Next(4) > 0)
            {
                members.Add("\"params\":" + Params());
            }
        }
        else
        {
            members.Add(_random.Next(3) > 0 ? "\"result\":" + Params() : "\"error\":{\"code\":" + Pick(s_numbers) + ",\"message\":" + Quoted(Pick(s_stringBodies)) + "}");
        }

        if (_random.Next(8) == 0)
        {
            members.Add(Quoted(Pick(s_stringBodies)) + ":" + Value(forId: false)); // odd member names
        }

        Shuffle(members);
        string separator = _random.Next(6) == 0 ? " , " : ",";
        return Latin1(Encoding.UTF8.GetBytes("{" + string.Join(separator, members) + "}"));
    }

    private string Key(string name) => _random.Next(15) == 0 ? "\"" + string.Concat(name.Select(c => $"\\u{(int)c:x4}")) + "\"" : "\"" + name + "\"";

    private string Params()
    {
        return _random.Next(8) switch
        {
            0 => "{\"requestId\":" + Value(forId: true) + ",\"reason\":" + Quoted(Pick(s_stringBodies)) + "}",
            1 => "{\"name\":" + Quoted(Pick(s_stringBodies)) + ",\"arguments\":{\"a\":" + Pick(s_numbers) + ",\"a\":" + Value(false) + "}}",
            2 => "{\"tools\":[{\"name\":" + Quoted(Pick(s_stringBodies)) + ",\"description\":" + Quoted(Pick(s_stringBodies)) + "},{\"name\":\"t\",\"name\":\"u\"}],\"nextCursor\":" + Value(false) + "}",
            3 => "{\"cursor\":" + Value(false) + "}",
            4 => "{\"protocolVersion\":" + Value(false) + ",\"capabilities\":{\"tools\":{\"listChanged\":true}},\"instructions\":" + Quoted(Pick(s_stringBodies)) + "}",
            5 => "[" + Value(false) + "," + Value(false) + "]",
            6 => Value(false),
            _ => "{\"ref\":{\"type\":\"ref/prompt\",\"name\":" + Quoted(Pick(s_stringBodies)) + "},\"uri\":" + Value(false) + "}",
        };
    }

    private string Value(bool forId)
    {
        return _random.Next(forId ? 12 : 9) switch
        {
            0 => "null",
            1 => _random.Next(2) == 0 ? "true" : "false",
            2 => "{\"x\":" + Pick(s_numbers) + "}",
            3 => "[" + Pick(s_numbers) + "]",
            4 or 5 => Pick(s_numbers),
            6 => RawString(),
            _ => Quoted(Pick(s_stringBodies)),
        };
    }

    /// <summary>A string literal holding raw bytes (valid or not); returned as Latin-1 text, re-encoded by <see cref="Latin1"/>.</summary>
    private string RawString() => "\"" + Latin1Marker + Convert.ToHexString(Pick(s_rawOddities)) + Latin1Marker + "\"";

    private const string Latin1Marker = "\u0001RAW\u0001";

    private static string Quoted(string body) => "\"" + body + "\"";

    private byte[] Nested()
    {
        int depth = _random.Next(2) == 0 ? _random.Next(500, 530) : _random.Next(1, 2000);
        bool arrays = _random.Next(2) == 0;
        string open = arrays ? "[" : "{\"a\":";
        string close = arrays ? "]" : "}";
        string inner = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        return Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":" + Pick(s_numbers) + ",\"method\":\"tools/call\",\"params\":" + inner + "}");
    }

    private byte[] RandomBytes()
    {
        byte[] bytes = new byte[_random.Next(0, 64)];
        _random.NextBytes(bytes);
        return bytes;
    }

    public byte[] Mutate(byte[] frame)
    {
        var bytes = new List<byte>(frame);
        int mutations = 1 + _random.Next(3);
        for (int m = 0; m < mutations; m++)
        {
            int at = bytes.Count == 0 ? 0 : _random.Next(bytes.Count + 1);
            switch (_random.Next(8))
            {
                case 0 when bytes.Count > 0:
                    bytes[Math.Min(at, bytes.Count - 1)] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1:
                    bytes.InsertRange(at, Pick(s_rawOddities));
                    break;
                case 2 when bytes.Count > 0:
                    int length = _random.Next(1, Math.Min(16, bytes.Count - Math.Min(at, bytes.Count - 1)) + 1);
                    bytes.RemoveRange(Math.Min(at, bytes.Count - 1), Math.Min(length, bytes.Count - Math.Min(at, bytes.Count - 1)));
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at); // truncated
                    break;
                case 4:
                    bytes.InsertRange(at, _random.Next(3) switch { 0 => "\r"u8.ToArray(), 1 => "\n"u8.ToArray(), _ => "\r\n"u8.ToArray() });
                    break;
                case 5:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Pick(s_stringBodies)));
                    break;
                case 6:
                    bytes.InsertRange(at, "\"id\":"u8.ToArray());
                    break;
                default:
                    bytes.Insert(at, (byte)_random.Next(256));
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Turns the generator's text into bytes: raw-byte markers become those exact (possibly invalid) bytes.</summary>
    public static byte[] Latin1(byte[] text)
    {
        string s = Encoding.UTF8.GetString(text);
        if (!s.Contains(Latin1Marker, StringComparison.Ordinal))
        {
            return text;
        }

        var output = new List<byte>();
        string[] parts = s.Split(Latin1Marker);
        for (int i = 0; i < parts.Length; i++)
        {
            output.AddRange(i % 2 == 1 ? Convert.FromHexString(parts[i]) : Encoding.UTF8.GetBytes(parts[i]));
        }

        return [.. output];
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    private void Shuffle(List<string> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = _random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    public int NextInt(int max) => _random.Next(max);

    public static string Describe(byte[] frame) =>
        $"{frame.Length} bytes, hex {Convert.ToHexString(frame.AsSpan(0, Math.Min(frame.Length, 2048)))}, text {Encoding.UTF8.GetString(frame.AsSpan(0, Math.Min(frame.Length, 2048))).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal)}";

    internal static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
