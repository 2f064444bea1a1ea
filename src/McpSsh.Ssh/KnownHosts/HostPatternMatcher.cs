using System.Security.Cryptography;
using System.Text;
using McpSsh.Filtering;

namespace McpSsh.Ssh.KnownHosts;

/// <summary>
/// OpenSSH host matching for the first field of a known_hosts line: comma-separated patterns with
/// <c>*</c> and <c>?</c> wildcards, <c>!</c> negation (a negated match vetoes the line), and hashed
/// <c>|1|salt|hmac</c> entries as written by <c>ssh-keygen -H</c>. Host names compare case-insensitively.
/// </summary>
public static class HostPatternMatcher
{
    private const string HashMagic = "|1|";

    public static bool MatchesHostField(string hostField, string hostName)
    {
        if (hostField.StartsWith(HashMagic, StringComparison.Ordinal))
        {
            return MatchesHashed(hostField, hostName);
        }

        string host = hostName.ToLowerInvariant();
        bool matched = false;
        foreach (string rawPattern in hostField.Split(','))
        {
            bool negated = rawPattern.StartsWith('!');
            string pattern = (negated ? rawPattern[1..] : rawPattern).ToLowerInvariant();
            if (pattern.Length == 0 || !WildcardMatch(pattern, host))
            {
                continue;
            }

            if (negated)
            {
                return false;
            }

            matched = true;
        }

        return matched;
    }

    /// <summary><c>|1|base64(salt)|base64(HMAC-SHA1(salt, host))</c>.</summary>
    public static bool MatchesHashed(string hostField, string hostName)
    {
        string[] parts = hostField.Split('|');
        if (parts.Length != 4)
        {
            return false;
        }

        try
        {
            byte[] salt = Convert.FromBase64String(parts[2]);
            byte[] expected = Convert.FromBase64String(parts[3]);
            byte[] actual = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(hostName.ToLowerInvariant()));
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Hashes a host name the way <c>ssh-keygen -H</c> does (used by tests and by hashed appends).</summary>
    public static string Hash(string hostName, byte[] salt)
    {
        byte[] mac = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(hostName.ToLowerInvariant()));
        return $"{HashMagic}{Convert.ToBase64String(salt)}|{Convert.ToBase64String(mac)}";
    }

    /// <summary>Glob match with <c>*</c> (any run) and <c>?</c> (one char), iterative with backtracking to the last star.</summary>
    public static bool WildcardMatch(string pattern, string text) => Wildcard.Match(pattern.AsSpan(), text.AsSpan(), '?', '*');
}
