using System.Globalization;
using System.Text;

namespace McpSsh.Cli.HostConfig;

/// <summary>
/// A tolerant reader of JSON with comments (// and /* */) and trailing commas, as VS Code and Zed write them; it
/// records where every value and member is so <see cref="JsoncEditor"/> can splice text and leave every other byte
/// (comments, indentation, key order, number spellings) alone. Strict JSON files parse the same way.
/// </summary>
internal sealed class JsoncParser
{
    private const int MaxDepth = 256;
    private readonly string _text;
    private int _pos;

    private JsoncParser(string text) => _text = text;

    /// <summary>The top-level value (a leading BOM is skipped); throws <see cref="JsoncException"/> with line and column.</summary>
    public static JsoncNode Parse(string text)
    {
        var parser = new JsoncParser(text);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            parser._pos = 1;
        }

        parser.SkipTrivia();
        JsoncNode root = parser.ParseValue(0);
        parser.SkipTrivia();
        if (parser._pos < text.Length)
        {
            throw parser.Error("unexpected text after the end of the top-level value");
        }

        return root;
    }

    /// <summary>1-based line and column of an offset.</summary>
    public static (int Line, int Column) Position(string text, int offset)
    {
        int line = 1, lineStart = 0;
        for (int i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }

    private JsoncNode ParseValue(int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error($"nested deeper than {MaxDepth} levels");
        }

        if (_pos >= _text.Length)
        {
            throw Error("unexpected end of file: a value is missing");
        }

        char c = _text[_pos];
        return c switch
        {
            '{' => ParseObject(depth),
            '[' => ParseArray(depth),
            '"' => ParseString(),
            _ => ParseLiteral(),
        };
    }

    private JsoncNode ParseObject(int depth)
    {
        var node = new JsoncNode(JsoncKind.Object, _pos);
        _pos++;
        JsoncMember? previous = null;
        while (true)
        {
            SkipTrivia();
            if (Peek() == '}')
            {
                _pos++;
                node.End = _pos;
                return node;
            }

            if (previous is not null && previous.CommaEnd < 0)
            {
                throw Error("expected ',' or '}' after a member");
            }

            if (Peek() != '"')
            {
                throw Error(_pos >= _text.Length ? "unexpected end of file inside an object" : "expected a member name in double quotes");
            }

            int keyStart = _pos;
            string name = ParseString().Text!;
            SkipTrivia();
            if (Peek() != ':')
            {
                throw Error("expected ':' after a member name");
            }

            _pos++;
            SkipTrivia();
            var member = new JsoncMember(name, keyStart, ParseValue(depth + 1));
            node.Members.Add(member);
            SkipTrivia();
            if (Peek() == ',')
            {
                _pos++;
                member.CommaEnd = _pos;
            }

            previous = member;
        }
    }

    private JsoncNode ParseArray(int depth)
    {
        var node = new JsoncNode(JsoncKind.Array, _pos);
        _pos++;
        bool needComma = false;
        while (true)
        {
            SkipTrivia();
            if (Peek() == ']')
            {
                _pos++;
                node.End = _pos;
                return node;
            }

            if (needComma)
            {
                throw Error(_pos >= _text.Length ? "unexpected end of file inside an array" : "expected ',' or ']' after an item");
            }

            node.Items.Add(ParseValue(depth + 1));
            SkipTrivia();
            needComma = true;
            if (Peek() == ',')
            {
                _pos++;
                needComma = false;
            }
        }
    }

    private JsoncNode ParseString()
    {
        int start = _pos;
        _pos++;
        var value = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length || _text[_pos] == '\n')
            {
                _pos = start;
                throw Error("a string is not closed on its line");
            }

            char c = _text[_pos++];
            if (c == '"')
            {
                return new JsoncNode(JsoncKind.String, start) { End = _pos, Text = value.ToString() };
            }

            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            char e = Peek();
            _pos++;
            switch (e)
            {
                case '"' or '\\' or '/': value.Append(e); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case 'n': value.Append('\n'); break;
                case 'r': value.Append('\r'); break;
                case 't': value.Append('\t'); break;
                case 'u' when _pos + 4 <= _text.Length && ushort.TryParse(_text.AsSpan(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code):
                    value.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    _pos -= 2;
                    throw Error("invalid escape in a string");
            }
        }
    }

    private JsoncNode ParseLiteral()
    {
        int start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '-' or '+' or '.'))
        {
            _pos++;
        }

        string word = _text[start.._pos];
        bool valid = word is "true" or "false" or "null"
            || (word.Length > 0 && (char.IsAsciiDigit(word[0]) || word[0] == '-') && double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        if (!valid)
        {
            _pos = start;
            throw Error("expected a value (object, array, string, number, true, false or null)");
        }

        return new JsoncNode(JsoncKind.Literal, start) { End = _pos };
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void SkipTrivia()
    {
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                _pos++;
            }
            else if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '/')
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '*')
            {
                int end = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw Error("a /* comment is not closed");
                }

                _pos = end + 2;
            }
            else
            {
                return;
            }
        }
    }

    private JsoncException Error(string what)
    {
        (int line, int column) = Position(_text, _pos);
        return new JsoncException(what, line, column);
    }
}
