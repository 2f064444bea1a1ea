using System.Text;
using Microsoft.Extensions.Logging;

namespace McpSsh.Server.Sshd;

/// <summary>
/// The private sshd_config serve writes: public-key logins only, for the allowed user, with every session
/// forced into the gateway (shell and exec alike), and nothing else an SSH login usually brings (tty,
/// forwarding, agent, X11, user environment).
/// </summary>
public sealed record SshdConfig
{
    public required string ListenAddress { get; init; }

    public required int Port { get; init; }

    public required string HostKeyPath { get; init; }

    public required IReadOnlyList<string> AuthorizedKeysFiles { get; init; }

    public required string AllowUser { get; init; }

    /// <summary>The command every session runs, already quoted for the user's shell.</summary>
    public required string ForceCommand { get; init; }

    public required string PidFile { get; init; }

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>
    /// Connections that may be in their handshake at once (--max-startups): sshd's default, 10, drops the 11th of
    /// many clients arriving together before its banner. Written as N:30:2N, so above N sshd refuses at random.
    /// </summary>
    public int MaxStartups { get; init; } = DefaultMaxStartups;

    public const int DefaultMaxStartups = 100;

    /// <summary>--sshd-option KEY=VALUE pairs, appended last (sshd takes the first value of a keyword, so these cannot weaken the ones above).</summary>
    public IReadOnlyList<(string Key, string Value)> Extra { get; init; } = [];

    public string Render()
    {
        var text = new StringBuilder();
        void Line(string key, string value) => text.Append(key).Append(' ').Append(value).Append('\n');

        text.Append("# Written by mcp-ssh serve; rewritten at every start.\n");
        Line("ListenAddress", ListenAddress.Contains(':', StringComparison.Ordinal) ? $"[{ListenAddress}]:{Port}" : $"{ListenAddress}:{Port}");
        Line("HostKey", Quote(HostKeyPath));
        Line("PidFile", Quote(PidFile));
        Line("AuthorizedKeysFile", string.Join(' ', AuthorizedKeysFiles.Select(f => Quote(EscapeTokens(f)))));
        Line("AllowUsers", AllowUser);
        Line("ForceCommand", ForceCommand);
        Line("PubkeyAuthentication", "yes");
        Line("PasswordAuthentication", "no");
        Line("KbdInteractiveAuthentication", "no");
        Line("HostbasedAuthentication", "no");
        Line("UsePAM", "no");
        // A key login for the allowed user works even when that user is root (never a password).
        Line("PermitRootLogin", "prohibit-password");
        Line("PermitTTY", "no");
        Line("X11Forwarding", "no");
        Line("AllowTcpForwarding", "no");
        Line("AllowStreamLocalForwarding", "no");
        Line("AllowAgentForwarding", "no");
        Line("PermitTunnel", "no");
        Line("PermitUserEnvironment", "no");
        Line("PermitUserRC", "no");
        Line("PrintMotd", "no");
        Line("Subsystem", "sftp internal-sftp"); // ForceCommand overrides it; declared so no system sftp-server is referenced
        // One session per connection (the gateway's), a dead client noticed within 45 s, many handshakes at once.
        Line("MaxSessions", "1");
        Line("ClientAliveInterval", "15");
        Line("ClientAliveCountMax", "3");
        Line("MaxStartups", FormattableString.Invariant($"{MaxStartups}:30:{2 * MaxStartups}"));
        Line("LogLevel", SshdLogLevel(LogLevel));
        foreach ((string key, string value) in Extra)
        {
            Line(key, value);
        }

        return text.ToString();
    }

    /// <summary>
    /// Our levels in sshd's words: TRACE is DEBUG3, DEBUG is DEBUG1, INFO is VERBOSE (it names the key of each
    /// login). Never below INFO: serve waits for sshd's "Server listening" line, and filters by level itself.
    /// </summary>
    public static string SshdLogLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => "DEBUG3",
        LogLevel.Debug => "DEBUG1",
        LogLevel.Information => "VERBOSE",
        _ => "INFO",
    };

    /// <summary>sshd_config takes double-quoted arguments; paths with spaces need them.</summary>
    public static string Quote(string value) =>
        value.Any(c => char.IsWhiteSpace(c) || c is '"' or '#') ? $"\"{value.Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : value;

    /// <summary>AuthorizedKeysFile expands %h, %u, %U and %%: a literal '%' in a path must be written %%, or sshd fails every login.</summary>
    public static string EscapeTokens(string path) => path.Replace("%", "%%", StringComparison.Ordinal);

    /// <summary>Single-quotes a word for the POSIX shell sshd runs ForceCommand with.</summary>
    public static string ShellQuote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '=' or ':' or '+' or '@')
            ? value
            : $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
