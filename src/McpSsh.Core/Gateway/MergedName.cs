using System.Security.Cryptography;
using System.Text;

namespace McpSsh.Gateway;

/// <summary>
/// The rules that make a merged tool or prompt name one hosts accept: <c>^[a-zA-Z0-9_-]{1,64}$</c> (what Claude
/// and the other hosts check). Any other character becomes <c>_</c>; a name that would be longer than 64 is cut
/// and ends in <c>_</c> plus the first 6 hex digits of the SHA-256 of the whole original, so two long names that
/// share a beginning stay apart and a name is the same in every session.
/// </summary>
public static class MergedName
{
    public const int MaxLength = 64;
    public const int HashLength = 6;

    /// <summary>In prefixed names a long server name is cut to this many characters first, so the tool's own name stays readable.</summary>
    public const int MaxServerLength = 24;

    /// <summary>True when hosts accept <paramref name="name"/> as a tool or prompt name.</summary>
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength && name.All(IsAllowed);

    /// <summary>Every character hosts do not accept replaced by <c>_</c> (one per Unicode character); empty stays empty.</summary>
    public static string Sanitize(string text)
    {
        if (text.All(IsAllowed))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        foreach (Rune rune in text.EnumerateRunes())
        {
            clean.Append(rune.IsAscii && IsAllowed((char)rune.Value) ? (char)rune.Value : '_');
        }

        return clean.ToString();
    }

    /// <summary>The merged name of a backend's item used as it is (the suffix policy).</summary>
    public static string Plain(string name) => Cut(Sanitize(name) is { Length: > 0 } clean ? clean : "_", MaxLength, name);

    /// <summary>The merged name <c>SERVER__name</c> (the prefix policy), with a long server name cut first.</summary>
    public static string Prefixed(string server, string name)
    {
        string serverPart = Cut(Sanitize(server) is { Length: > 0 } clean ? clean : "_", MaxServerLength, server);
        string full = $"{serverPart}__{Sanitize(name)}";
        return Cut(full, MaxLength, $"{server}__{name}");
    }

    /// <summary><paramref name="candidate"/> with <paramref name="suffix"/> (<c>_1</c>...) appended, cut so the whole fits.</summary>
    public static string WithSuffix(string candidate, string suffix) =>
        candidate.Length + suffix.Length <= MaxLength ? candidate + suffix : candidate[..(MaxLength - suffix.Length)] + suffix;

    /// <summary>
    /// <paramref name="text"/> if it fits in <paramref name="max"/>, else its beginning, <c>_</c> and the hash of
    /// <paramref name="original"/> (the unsanitised whole, so names that sanitise alike still hash apart).
    /// </summary>
    public static string Cut(string text, int max, string original) =>
        text.Length <= max ? text : $"{text[..(max - HashLength - 1)]}_{Hash(original)}";

    /// <summary>The first 6 lower-case hex digits of SHA-256 over the UTF-8 of <paramref name="original"/>.</summary>
    public static string Hash(string original) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(original)))[..HashLength];

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
}
