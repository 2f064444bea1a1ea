using System.Text;

namespace McpSsh.Filtering;

/// <summary>
/// A tool-name glob: <c>*</c> matches any run of characters (none included), <c>?</c> exactly one character,
/// every other character only itself. Case-sensitive (ordinal, as MCP compares tool names); no character
/// classes and no escapes: MCP tool names are letters, digits, <c>_</c>, <c>-</c> and <c>.</c>, so neither
/// wildcard can occur in one.
/// </summary>
public sealed class ToolGlob
{
    private readonly int[] _pattern;

    private ToolGlob(string text, int[] pattern)
    {
        Text = text;
        _pattern = pattern;
    }

    /// <summary>The glob as it was written.</summary>
    public string Text { get; }

    /// <summary>The glob, or the reason it cannot be one (empty, or a control character).</summary>
    public static bool TryParse(string text, out ToolGlob glob, out string? error)
    {
        glob = null!;
        if (text.Length == 0)
        {
            error = "an empty glob";
            return false;
        }

        if (text.Any(char.IsControl))
        {
            error = $"glob \"{text}\" holds a control character";
            return false;
        }

        glob = new ToolGlob(text, Runes(text));
        error = null;
        return true;
    }

    public static ToolGlob Parse(string text) =>
        TryParse(text, out ToolGlob glob, out string? error) ? glob : throw new ArgumentException(error, nameof(text));

    /// <summary>True when the whole of <paramref name="name"/> matches.</summary>
    public bool IsMatch(string name)
    {
        int[] text = Runes(name);
        int p = 0, t = 0;
        int star = -1, resume = 0;

        // The classic single-star backtrack: on a mismatch, the last * takes one more character. Linear for
        // one *, O(n*m) at worst; names are at most a few hundred characters.
        while (t < text.Length)
        {
            if (p < _pattern.Length && (_pattern[p] == '?' || _pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < _pattern.Length && _pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < _pattern.Length && _pattern[p] == '*')
        {
            p++;
        }

        return p == _pattern.Length;
    }

    public override string ToString() => Text;

    // By Unicode scalar, so ? takes a whole character outside the BMP; a lone surrogate becomes U+FFFD.
    private static int[] Runes(string text)
    {
        var runes = new List<int>(text.Length);
        foreach (Rune rune in text.EnumerateRunes())
        {
            runes.Add(rune.Value);
        }

        return [.. runes];
    }
}
