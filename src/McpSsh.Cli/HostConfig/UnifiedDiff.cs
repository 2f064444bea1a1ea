using System.Text;

namespace McpSsh.Cli.HostConfig;

/// <summary>
/// A unified-style diff of an edit for --dry-run. Edits here are one splice, so the lines that differ are exactly
/// those between the common first and last lines: no general diff algorithm needed, linear in the file's size.
/// </summary>
internal static class UnifiedDiff
{
    private const int Context = 3;

    public static string Render(string path, string before, string after)
    {
        string[] a = Lines(before), b = Lines(after);
        int prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        int suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }

        var text = new StringBuilder();
        text.Append("--- ").Append(before.Length == 0 ? "/dev/null" : path).Append('\n');
        text.Append("+++ ").Append(path).Append('\n');
        if (prefix == a.Length && prefix == b.Length)
        {
            return text.ToString();
        }

        int start = Math.Max(0, prefix - Context);
        int endA = Math.Min(a.Length, a.Length - suffix + Context), endB = Math.Min(b.Length, b.Length - suffix + Context);
        text.Append($"@@ -{Range(start, endA - start)} +{Range(start, endB - start)} @@\n");
        for (int i = start; i < prefix; i++)
        {
            text.Append(' ').Append(a[i]).Append('\n');
        }

        for (int i = prefix; i < a.Length - suffix; i++)
        {
            text.Append('-').Append(a[i]).Append('\n');
        }

        for (int i = prefix; i < b.Length - suffix; i++)
        {
            text.Append('+').Append(b[i]).Append('\n');
        }

        for (int i = a.Length - suffix; i < endA; i++)
        {
            text.Append(' ').Append(a[i]).Append('\n');
        }

        return text.ToString();
    }

    private static string Range(int start, int count) => count == 0 ? $"{start},0" : $"{start + 1},{count}";

    private static string[] Lines(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }
}
