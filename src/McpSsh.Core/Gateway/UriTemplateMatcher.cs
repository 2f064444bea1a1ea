using System.Text;
using System.Text.RegularExpressions;

namespace McpSsh.Gateway;

/// <summary>
/// Matches a URI against an RFC 6570 template as MCP resource templates use them: <c>{var}</c> is one path
/// segment, <c>{+var}</c> and <c>{#var}</c> may span segments, <c>{?a,b}</c> and <c>{&amp;a}</c> take the query.
/// Literal text must match exactly.
/// </summary>
public static class UriTemplateMatcher
{
    private static readonly Dictionary<string, Regex> s_cache = [];
    private static readonly Lock s_lock = new();

    public static bool Matches(string template, string uri) => Compile(template).IsMatch(uri);

    private static Regex Compile(string template)
    {
        lock (s_lock)
        {
            if (s_cache.TryGetValue(template, out Regex? cached))
            {
                return cached;
            }

            var pattern = new StringBuilder("^");
            int i = 0;
            while (i < template.Length)
            {
                int open = template.IndexOf('{', i);
                if (open < 0)
                {
                    pattern.Append(Regex.Escape(template[i..]));
                    break;
                }

                int close = template.IndexOf('}', open);
                if (close < 0)
                {
                    pattern.Append(Regex.Escape(template[i..]));
                    break;
                }

                pattern.Append(Regex.Escape(template[i..open]));
                string expression = template[(open + 1)..close];
                pattern.Append(expression.Length > 0 ? expression[0] switch
                {
                    '+' or '#' => "(.+)",
                    '?' or '&' => @"(?:[?&][^#]*)?",
                    '/' => "((?:/[^/?#]+)*)",
                    '.' => @"((?:\.[^/?#.]+)*)",
                    ';' => "((?:;[^/?#;]+)*)",
                    _ => "([^/?#]+)",
                } : "");
                i = close + 1;
            }

            var regex = new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
            s_cache[template] = regex;
            return regex;
        }
    }
}
