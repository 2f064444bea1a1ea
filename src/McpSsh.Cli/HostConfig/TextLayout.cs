namespace McpSsh.Cli.HostConfig;

/// <summary>
/// How a file is laid out, read from the file itself so inserted text looks like its neighbours: the indent unit
/// (spaces or a tab), the line ending, and whether it is all on one line (then entries are inserted minified).
/// </summary>
internal sealed record TextLayout(string Unit, string NewLine, bool Compact)
{
    public const string DefaultUnit = "  ";

    public static TextLayout Detect(string text, JsoncNode root)
    {
        string newLine = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        bool compact = root.Members.Count > 0 && !text.AsSpan(0, root.End).Contains('\n');
        return new TextLayout(DetectUnit(text, root) ?? DefaultUnit, newLine, compact);
    }

    /// <summary>The indent of the first member that starts a line, relative to its object's line; null when there is none.</summary>
    private static string? DetectUnit(string text, JsoncNode node)
    {
        foreach (JsoncMember member in node.Members)
        {
            if (StartsLine(text, member.KeyStart))
            {
                string outer = LineIndent(text, node.Start), inner = LineIndent(text, member.KeyStart);
                if (inner.Length > outer.Length && inner.StartsWith(outer, StringComparison.Ordinal))
                {
                    return inner[outer.Length..];
                }
            }

            if (member.Value.Kind == JsoncKind.Object && DetectUnit(text, member.Value) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }

    /// <summary>The spaces and tabs that start the line holding <paramref name="offset"/>.</summary>
    public static string LineIndent(string text, int offset)
    {
        int start = LineStart(text, offset), end = start;
        while (end < text.Length && text[end] is ' ' or '\t')
        {
            end++;
        }

        return text[start..end];
    }

    public static int LineStart(string text, int offset) => offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;

    /// <summary>Whether only spaces and tabs precede <paramref name="offset"/> on its line.</summary>
    public static bool StartsLine(string text, int offset)
    {
        for (int i = offset - 1; i >= 0 && text[i] != '\n'; i--)
        {
            if (text[i] is not (' ' or '\t' or '\uFEFF'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Past the spaces and a // comment that end the line at <paramref name="offset"/> (up to the line break); else the offset itself.</summary>
    public static int SkipLineComment(string text, int offset)
    {
        int p = offset;
        while (p < text.Length && text[p] is ' ' or '\t')
        {
            p++;
        }

        if (p + 1 < text.Length && text[p] == '/' && text[p + 1] == '/')
        {
            int end = text.IndexOf('\n', p);
            end = end < 0 ? text.Length : end;
            return end > 0 && text[end - 1] == '\r' ? end - 1 : end;
        }

        return offset;
    }
}
