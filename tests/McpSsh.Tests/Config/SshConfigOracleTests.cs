using McpSsh.Ssh.Config;
using McpSsh.Tests.Support;
using Tool = McpSsh.Tests.Common.Tool;

namespace McpSsh.Tests.Config;

/// <summary>
/// OpenSSH is the oracle: for every case, what <c>ssh -G -F FILE HOST</c> prints for each keyword mcp-ssh uses
/// equals what <see cref="SshConfigReader"/> resolves (a keyword the config leaves unset compares against ssh's
/// own default for that host, from <c>ssh -G -F /dev/null HOST</c>).
/// </summary>
public class SshConfigOracleTests
{
    /// <summary>Keywords compared, as ssh -G names them.</summary>
    private static readonly string[] s_keywords =
    [
        "hostname", "port", "user", "identityfile", "identitiesonly", "identityagent", "certificatefile", "proxyjump",
        "proxycommand", "userknownhostsfile", "globalknownhostsfile", "stricthostkeychecking", "hostkeyalias",
        "hashknownhosts", "connecttimeout", "serveraliveinterval", "serveralivecountmax",
    ];

    public static TheoryData<SshConfigOracleCase> Cases() => [.. SshConfigOracleCase.All()];

    [Fact]
    public void Corpus_HasAtLeastThirtyCases() => Assert.True(SshConfigOracleCase.All().Count() >= 30);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resolve_MatchesSshG(SshConfigOracleCase oracleCase)
    {
        using var dir = new TempDirectory();
        Dictionary<string, string> defaults0 = SshG("/dev/null", "x");
        string home = Path.GetDirectoryName(Path.GetDirectoryName(defaults0["userknownhostsfile"].Split(' ')[0])!)!;
        string rel = "mcp-ssh-oracle-" + Guid.NewGuid().ToString("N")[..8];
        string relDirectory = Path.Join(home, ".ssh", rel);
        try
        {
            string Fill(string text) => text.Replace("{dir}", dir.Path, StringComparison.Ordinal).Replace("{rel}", rel, StringComparison.Ordinal);
            foreach ((string name, string text) in oracleCase.Files ?? [])
            {
                string path = name.StartsWith("{rel}", StringComparison.Ordinal) ? Path.Join(home, ".ssh", Fill(name)) : Path.Join(dir.Path, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, Fill(text));
            }

            string config = dir.File("config");
            File.WriteAllText(config, Fill(oracleCase.Config) + "\n");

            foreach (string host in oracleCase.Hosts)
            {
                Dictionary<string, string> expected = SshG(config, host);
                Dictionary<string, string> defaults = SshG("/dev/null", host);
                var context = SshConfigContext.ForCurrentUser(host, home);
                ResolvedSshConfig resolved = SshConfigReader.Resolve(context, SshConfigFile.Only(config, home));
                Dictionary<string, string?> actual = AsSshG(resolved, context);
                foreach (string keyword in s_keywords)
                {
                    string? want = expected.GetValueOrDefault(keyword);
                    if (keyword == "proxyjump" && want is not null)
                    {
                        // ssh prints the last hop normalised and the others as written: compare hop by hop.
                        want = string.Join(',', SshJumpHost.ParseList(want)!);
                    }

                    string? got = actual[keyword] ?? defaults.GetValueOrDefault(keyword);
                    Assert.True(want == got, $"{oracleCase.Name}, host {host}, {keyword}: ssh -G says \"{want}\", mcp-ssh resolved \"{got}\"");
                }
            }
        }
        finally
        {
            if (Directory.Exists(relDirectory))
            {
                Directory.Delete(relDirectory, recursive: true);
            }
        }
    }

    /// <summary>Our resolution printed as ssh -G prints it: null where the config set nothing.</summary>
    private static Dictionary<string, string?> AsSshG(ResolvedSshConfig c, SshConfigContext context)
    {
        var tokens = new SshConfigTokens(context, c.EffectiveHostName, c.Port ?? 22, c.User ?? context.LocalUser, c.HostKeyAlias);
        static string? YesNo(bool? value) => value is null ? null : value.Value ? "yes" : "no";
        static string? Lines(IReadOnlyList<string> values) => values.Count == 0 ? null : string.Join('\n', values);
        static string? NotNone(string? value) => value == "none" ? null : value;
        return new()
        {
            ["hostname"] = c.EffectiveHostName,
            ["port"] = c.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["user"] = c.User,
            ["identityfile"] = Lines(c.IdentityFiles),
            ["identitiesonly"] = YesNo(c.IdentitiesOnly),
            ["identityagent"] = c.IdentityAgent is null or "none" or "SSH_AUTH_SOCK" ? c.IdentityAgent : tokens.ExpandPath(c.IdentityAgent, "IdentityAgent"),
            ["certificatefile"] = Lines(c.CertificateFiles),
            ["proxyjump"] = c.JumpHosts.Count == 0 ? null : string.Join(',', c.JumpHosts),
            ["proxycommand"] = NotNone(c.ProxyCommand),
            ["userknownhostsfile"] = c.UserKnownHostsFiles is { } user ? string.Join(' ', user.Select(f => f == "none" ? f : tokens.ExpandPath(f, "UserKnownHostsFile"))) : null,
            ["globalknownhostsfile"] = c.GlobalKnownHostsFiles is { } global ? string.Join(' ', global) : null,
            ["stricthostkeychecking"] = c.StrictHostKeyChecking switch { "yes" => "true", "no" => "false", var other => other },
            ["hostkeyalias"] = c.HostKeyAlias,
            ["hashknownhosts"] = YesNo(c.HashKnownHosts),
            ["connecttimeout"] = c.ConnectTimeoutSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["serveraliveinterval"] = c.ServerAliveIntervalSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["serveralivecountmax"] = c.ServerAliveCountMax?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>ssh -G's output as keyword to value; repeated keywords (identityfile) joined by newlines.</summary>
    private static Dictionary<string, string> SshG(string configFile, string host)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in Tool.Run("ssh", "-G", "-F", configFile, host).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            string keyword = space < 0 ? line : line[..space];
            string value = space < 0 ? "" : line[(space + 1)..];
            values[keyword] = values.TryGetValue(keyword, out string? before) ? before + "\n" + value : value;
        }

        return values;
    }
}
