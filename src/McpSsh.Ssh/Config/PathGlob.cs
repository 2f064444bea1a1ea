using McpSsh.Ssh.KnownHosts;

namespace McpSsh.Ssh.Config;

/// <summary>
/// glob(3) as Include uses it: <c>*</c> and <c>?</c> in any path component, names starting with <c>.</c> only
/// matched by a pattern that starts with one, results sorted; no match is an empty list.
/// </summary>
internal static class PathGlob
{
    public static IReadOnlyList<string> Expand(string pattern)
    {
        if (pattern.IndexOfAny(['*', '?']) < 0)
        {
            return File.Exists(pattern) ? [pattern] : [];
        }

        string root = Path.GetPathRoot(pattern) ?? "";
        string[] parts = pattern[root.Length..].Split(['/', Path.DirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        List<string> current = [root.Length > 0 ? root : "."];
        for (int i = 0; i < parts.Length; i++)
        {
            bool last = i == parts.Length - 1;
            string part = parts[i];
            var next = new List<string>();
            foreach (string directory in current)
            {
                if (part.IndexOfAny(['*', '?']) < 0)
                {
                    string candidate = Path.Join(directory, part);
                    if (last ? File.Exists(candidate) : Directory.Exists(candidate))
                    {
                        next.Add(candidate);
                    }

                    continue;
                }

                if (!Directory.Exists(directory))
                {
                    continue;
                }

                IEnumerable<string> entries = last ? Directory.EnumerateFiles(directory) : Directory.EnumerateDirectories(directory);
                next.AddRange(entries.Where(e => Matches(part, Path.GetFileName(e))).Order(StringComparer.Ordinal));
            }

            current = next;
        }

        return root.Length > 0 ? current : current.Select(p => p.StartsWith("./", StringComparison.Ordinal) ? p[2..] : p).ToList();
    }

    private static bool Matches(string pattern, string name) =>
        (name[0] != '.' || pattern[0] == '.') && HostPatternMatcher.WildcardMatch(pattern, name);
}
