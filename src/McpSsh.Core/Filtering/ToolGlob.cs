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
    public bool IsMatch(string name) => Wildcard.Match<int>(_pattern, Runes(name), '?', '*');

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
