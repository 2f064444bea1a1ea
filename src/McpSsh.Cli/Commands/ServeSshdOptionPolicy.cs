namespace McpSsh.Cli.Commands;

/// <summary>
/// What --sshd-option may add to serve's sshd_config. Extra lines come last and sshd keeps a keyword's first
/// value, so a keyword serve writes would be silently ignored; Match and Include, though, start a new context
/// (or pull in other files) where every setting, ForceCommand included, can be set again: that re-opens a shell.
/// So those, the keywords serve writes, and the ones that add ways in or out are refused, and a value is one
/// line of printable text (a newline would smuggle in a second line).
/// </summary>
internal static class SshdOptionPolicy
{
    private static readonly HashSet<string> s_refused = new(StringComparer.OrdinalIgnoreCase)
    {
        // New contexts and other files.
        "Match", "Include",
        // What serve writes (SshdConfig.Render).
        "ListenAddress", "Port", "HostKey", "PidFile", "AuthorizedKeysFile", "AllowUsers", "ForceCommand", "PubkeyAuthentication",
        "PasswordAuthentication", "KbdInteractiveAuthentication", "ChallengeResponseAuthentication", "HostbasedAuthentication", "UsePAM",
        "PermitRootLogin", "PermitTTY", "X11Forwarding", "AllowTcpForwarding", "AllowStreamLocalForwarding", "AllowAgentForwarding",
        "PermitTunnel", "PermitUserEnvironment", "PermitUserRC", "PrintMotd", "Subsystem", "LogLevel", "MaxSessions", "ClientAliveInterval",
        "ClientAliveCountMax", "MaxStartups",
        // Other ways in (keys or principals from elsewhere, certificates) or out (environment, forwarding, chroot escapes).
        "AuthorizedKeysCommand", "AuthorizedKeysCommandUser", "AuthorizedPrincipalsCommand", "AuthorizedPrincipalsCommandUser",
        "AuthorizedPrincipalsFile", "TrustedUserCAKeys", "AcceptEnv", "SetEnv", "PermitOpen", "PermitListen", "GatewayPorts",
        "DisableForwarding", "ExposeAuthInfo", "ChrootDirectory", "AuthenticationMethods", "GSSAPIAuthentication", "KerberosAuthentication",
    };

    public static (string Key, string Value) Parse(string option)
    {
        int equals = option.IndexOf('=', StringComparison.Ordinal);
        if (option.Any(char.IsControl))
        {
            throw new UsageException($"--sshd-option {Printable(option)} contains a newline or control character: give one KEY=VALUE per flag");
        }

        string key = equals > 0 ? option[..equals].Trim() : "";
        string value = equals > 0 ? option[(equals + 1)..].Trim() : "";
        if (key.Length == 0 || !key.All(char.IsAsciiLetterOrDigit) || value.Length == 0)
        {
            throw new UsageException($"--sshd-option '{option}' is not KEY=VALUE with an sshd_config keyword (e.g. --sshd-option MaxAuthTries=3)");
        }

        if (s_refused.Contains(key))
        {
            throw new UsageException(key.Equals("MaxStartups", StringComparison.OrdinalIgnoreCase)
                ? "--sshd-option MaxStartups is set by serve: use --max-startups N"
                : $"--sshd-option {key} is refused: serve sets it, or it would let sessions bypass the forced gateway (Match, Include, other key sources, forwarding, environment)");
        }

        return (key, value);
    }

    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
}
