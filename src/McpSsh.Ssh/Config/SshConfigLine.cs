namespace McpSsh.Ssh.Config;

/// <summary>
/// One line of an OpenSSH client config split as ssh splits it: the keyword ends at whitespace or one <c>=</c>
/// (<c>Port 22</c>, <c>Port=22</c>, <c>Port = 22</c>), arguments are separated by whitespace, may be quoted with
/// <c>"</c> or <c>'</c>, take backslash escapes of quotes, backslashes and spaces, and an unquoted argument that
/// starts with <c>#</c> ends the line (OpenSSH 9.2 readconf.c, <c>strdelim</c> and <c>argv_split</c>).
/// <see cref="RawArguments"/> is the rest of the line unsplit, which is what ProxyCommand takes; <see cref="Keyword"/>
/// is lower-case (keywords are case-insensitive), <see cref="WrittenKeyword"/> as written, for messages.
/// </summary>
public sealed record SshConfigLine(string Keyword, string WrittenKeyword, IReadOnlyList<string> Arguments, string RawArguments)
{
    /// <summary>Splits <paramref name="text"/>; null for a blank or comment line. Throws for what ssh rejects.</summary>
    public static SshConfigLine? Parse(string text, string location)
    {
        ReadOnlySpan<char> rest = text.AsSpan().Trim(" \t\f\r\n");
        if (rest.IsEmpty || rest[0] == '#')
        {
            return null;
        }

        int end = rest.IndexOfAny(" \t\f\r\n=");
        string written = (end < 0 ? rest : rest[..end]).ToString();
        if (written.Length == 0)
        {
            throw new SshConfigException(location, "the line starts with '=' and has no keyword");
        }

        string keyword = written.ToLowerInvariant();
        rest = end < 0 ? [] : rest[end..];

        // The keyword's delimiter: whitespace, at most one '=', whitespace.
        rest = rest.TrimStart(" \t\f\r\n");
        if (!rest.IsEmpty && rest[0] == '=')
        {
            rest = rest[1..].TrimStart(" \t\f\r\n");
        }

        if (rest.IsEmpty)
        {
            throw new SshConfigException(location, $"no argument after keyword \"{written}\"");
        }

        return new SshConfigLine(keyword, written, SplitArguments(rest, location), rest.ToString());
    }

    private static List<string> SplitArguments(ReadOnlySpan<char> text, string location)
    {
        var arguments = new List<string>();
        var current = new System.Text.StringBuilder();
        int i = 0;
        while (true)
        {
            while (i < text.Length && IsSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length || text[i] == '#')
            {
                return arguments;
            }

            current.Clear();
            char quote = '\0';
            for (; i < text.Length; i++)
            {
                char c = text[i];
                if (quote == '\0' && IsSpace(c))
                {
                    break;
                }

                if (c == '\\' && i + 1 < text.Length && (text[i + 1] is '\\' or '"' or '\'' || (quote == '\0' && text[i + 1] == ' ')))
                {
                    current.Append(text[++i]);
                }
                else if (quote == '\0' && c is '"' or '\'')
                {
                    quote = c;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    current.Append(c);
                }
            }

            if (quote != '\0')
            {
                throw new SshConfigException(location, "invalid quotes");
            }

            arguments.Add(current.ToString());
        }
    }

    // Between arguments only spaces and tabs separate (the line's trailing whitespace is already gone).
    private static bool IsSpace(char c) => c is ' ' or '\t';
}
