using System.Globalization;

namespace McpSsh.Ssh.Config;

/// <summary>
/// One hop of a ProxyJump list: <c>[user@]host[:port]</c> or <c>ssh://[user@]host[:port]</c>, IPv6 addresses in
/// brackets. Unset parts come from the config of the hop's own host, as in ssh.
/// </summary>
public sealed record SshJumpHost(string? User, string Host, int? Port)
{
    /// <summary>Parses a comma-separated ProxyJump value, first hop first; null when a hop is malformed.</summary>
    public static IReadOnlyList<SshJumpHost>? ParseList(string value)
    {
        var hops = new List<SshJumpHost>();
        foreach (string part in value.Split(','))
        {
            if (TryParse(part, out SshJumpHost? hop))
            {
                hops.Add(hop!);
            }
            else
            {
                return null;
            }
        }

        return hops;
    }

    public static bool TryParse(string text, out SshJumpHost? hop)
    {
        hop = null;
        string rest = text.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase) ? text[6..].TrimEnd('/') : text;
        string? user = null;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            user = rest[..at];
            rest = rest[(at + 1)..];
            if (user.Length == 0)
            {
                return false;
            }
        }

        string host = rest;
        int? port = null;
        string? portText = null;
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = rest[1..close];
            string after = rest[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    return false;
                }

                portText = after[1..];
            }
        }
        else if (rest.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
        {
            host = rest[..colon];
            portText = rest[(colon + 1)..];
        }

        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p is < 1 or > 65535)
            {
                return false;
            }

            port = p;
        }

        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || c is '@' or '/' or ','))
        {
            return false;
        }

        hop = new SshJumpHost(user, host, port);
        return true;
    }

    /// <summary>As ssh prints a hop: <c>[user@]host[:port]</c>, brackets around an IPv6 address with a port.</summary>
    public override string ToString()
    {
        string host = Port is not null && Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        return (User is null ? "" : User + "@") + host + (Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "");
    }
}
