namespace McpSsh.Filtering;

/// <summary>
/// The one glob matcher: <c>*</c> is any run (none included), <c>?</c> exactly one element, anything else only
/// itself. Over chars for OpenSSH host patterns, over Unicode scalars for tool names.
/// </summary>
public static class Wildcard
{
    /// <summary>
    /// The classic single-star backtrack: on a mismatch, the last <c>*</c> takes one more element. Linear for one
    /// <c>*</c>, O(n*m) at worst; patterns and names here are at most a few hundred elements.
    /// </summary>
    public static bool Match<T>(ReadOnlySpan<T> pattern, ReadOnlySpan<T> text, T any, T star)
        where T : IEquatable<T>
    {
        int p = 0, t = 0, lastStar = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p].Equals(any) || pattern[p].Equals(text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p].Equals(star))
            {
                lastStar = p++;
                resume = t;
            }
            else if (lastStar >= 0)
            {
                p = lastStar + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p].Equals(star))
        {
            p++;
        }

        return p == pattern.Length;
    }
}
