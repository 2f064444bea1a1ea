using System.Globalization;

namespace McpSsh.Ssh.Config;

/// <summary>ssh's time format (sshd_config(5) TIME FORMATS): seconds, or runs like <c>1h30m</c> of s, m, h, d, w.</summary>
internal static class SshTime
{
    public static int Parse(string text, string location)
    {
        long total = 0;
        int i = 0;
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start || !long.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out long number))
            {
                throw Invalid(text, location);
            }

            long unit = i == text.Length ? 1 : char.ToLowerInvariant(text[i++]) switch
            {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86400,
                'w' => 604800,
                _ => throw Invalid(text, location),
            };
            total += number * unit;
            if (total > int.MaxValue)
            {
                throw Invalid(text, location);
            }
        }

        return text.Length == 0 ? throw Invalid(text, location) : (int)total;
    }

    private static SshConfigException Invalid(string text, string location) =>
        new(location, $"\"{text}\" is not a time (seconds, or e.g. 1m30s)");
}
