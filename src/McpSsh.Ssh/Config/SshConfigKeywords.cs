using System.Globalization;

namespace McpSsh.Ssh.Config;

/// <summary>
/// The keywords mcp-ssh takes from an OpenSSH config, parsed as ssh parses them (a bad value is an error even in
/// a block that does not apply, as in ssh) and stored only when the block applies and nothing set it before.
/// Every other keyword is recorded in <see cref="ResolvedSshConfig.Ignored"/>.
/// </summary>
internal static class SshConfigKeywords
{
    public static void Apply(SshConfigLine line, string location, bool active, ResolvedSshConfig config)
    {
        string keyword = line.Keyword;
        IReadOnlyList<string> args = line.Arguments;
        switch (keyword)
        {
            case "hostname":
                string hostName = Single(line, location);
                try
                {
                    _ = SshConfigTokens.ExpandHostName(hostName, "host");
                }
                catch (FormatException ex)
                {
                    throw new SshConfigException(location, ex.Message);
                }

                Set(config, keyword, location, active, hostName, v => config.HostName = v);
                break;
            case "user":
                Set(config, keyword, location, active, Single(line, location), v => config.User = v);
                break;
            case "hostkeyalias":
                Set(config, keyword, location, active, Single(line, location), v => config.HostKeyAlias = v);
                break;
            case "identityagent":
                Set(config, keyword, location, active, Single(line, location), v => config.IdentityAgent = v);
                break;
            case "port":
                int port = int.TryParse(Single(line, location), NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is > 0 and <= 65535
                    ? p
                    : throw new SshConfigException(location, $"bad port number \"{args[0]}\"");
                Set(config, keyword, location, active, port, v => config.Port = v);
                break;
            case "identityfile":
                AddUnique(config, config.IdentityFiles, keyword, location, active, Single(line, location));
                break;
            case "certificatefile":
                AddUnique(config, config.CertificateFiles, keyword, location, active, Single(line, location));
                break;
            case "identitiesonly":
                Set(config, keyword, location, active, YesNo(line, location), v => config.IdentitiesOnly = v);
                break;
            case "hashknownhosts":
                Set(config, keyword, location, active, YesNo(line, location), v => config.HashKnownHosts = v);
                break;
            case "stricthostkeychecking":
                Set(config, keyword, location, active, StrictHostKeyChecking(line, location), v => config.StrictHostKeyChecking = v);
                break;
            case "userknownhostsfile":
                Set(config, keyword, location, active, FileList(line, location), v => config.UserKnownHostsFiles = v);
                break;
            case "globalknownhostsfile":
                Set(config, keyword, location, active, FileList(line, location), v => config.GlobalKnownHostsFiles = v);
                break;
            case "connecttimeout":
                // "none" leaves it unset, so a later line can still set it (ssh stores -1, its "unset").
                if (Single(line, location) is not "none")
                {
                    Set(config, keyword, location, active, SshTime.Parse(args[0], location), v => config.ConnectTimeoutSeconds = v);
                }

                break;
            case "serveraliveinterval":
                Set(config, keyword, location, active, SshTime.Parse(Single(line, location), location), v => config.ServerAliveIntervalSeconds = v);
                break;
            case "serveralivecountmax":
                int count = int.TryParse(Single(line, location), NumberStyles.None, CultureInfo.InvariantCulture, out int c)
                    ? c
                    : throw new SshConfigException(location, $"ServerAliveCountMax \"{args[0]}\" is not a number");
                Set(config, keyword, location, active, count, v => config.ServerAliveCountMax = v);
                break;
            case "proxyjump":
            case "proxycommand":
                // Whichever of the two comes first wins and the other is ignored; ProxyCommand takes the raw line.
                string value = keyword == "proxyjump" ? Single(line, location) : line.RawArguments;
                if (keyword == "proxyjump" && value != "none" && SshJumpHost.ParseList(value) is null)
                {
                    throw new SshConfigException(location, $"invalid ProxyJump \"{value}\" (expected [user@]host[:port] hops separated by commas)");
                }

                // ssh 9.2 (ssh -G): any ProxyCommand, even none, locks both; ProxyJump none locks only ProxyJump.
                bool free = keyword == "proxyjump"
                    ? !config.IsSet("proxyjump") && !config.IsSet("proxycommand")
                    : !config.IsSet("proxycommand") && config.ProxyJump is null or "none";
                if (active && free)
                {
                    config.NoteSource(keyword, location);
                    if (keyword == "proxyjump")
                    {
                        config.ProxyJump = value;
                    }
                    else
                    {
                        config.ProxyCommand = value;
                    }
                }

                break;
            case "ignoreunknown":
                // Applies to the lines after it, active block or not (ssh's parse_token consults it for every line).
                config.IgnoreUnknown ??= Single(line, location);
                break;
            default:
                Unused(line, location, config);
                break;
        }
    }

    /// <summary>
    /// A keyword ssh knows and mcp-ssh does not use is noted for the debug log. An unknown one (ssh refuses the file)
    /// is an error when it looks like a misspelling of one mcp-ssh relies on, else a warning; IgnoreUnknown silences it.
    /// </summary>
    private static void Unused(SshConfigLine line, string location, ResolvedSshConfig config)
    {
        if (SshConfigVocabulary.IsKnown(line.Keyword))
        {
            config.Ignored.Add($"{location}: {line.Keyword}");
        }
        else if (config.IgnoreUnknown is { } ignored && SshConfigMatch.PatternList(line.Keyword, ignored, ignoreCase: true))
        {
            config.Ignored.Add($"{location}: {line.Keyword} (IgnoreUnknown)");
        }
        else if (SshConfigVocabulary.NearMiss(line.Keyword) is { } meant)
        {
            throw new SshConfigException(location, $"unknown keyword \"{line.WrittenKeyword}\": did you mean {meant}? (ssh refuses the file too)");
        }
        else
        {
            config.Warnings.Add($"{location}: unknown keyword \"{line.WrittenKeyword}\" is ignored (ssh itself refuses it unless IgnoreUnknown names it)");
        }
    }

    private static void Set<T>(ResolvedSshConfig config, string keyword, string location, bool active, T value, Action<T> store)
    {
        if (active && !config.IsSet(keyword))
        {
            config.NoteSource(keyword, location);
            store(value);
        }
    }

    /// <summary>ssh's SSH_MAX_IDENTITY_FILES and SSH_MAX_CERTIFICATE_FILES.</summary>
    public const int MaxFiles = 100;

    private static void AddUnique(ResolvedSshConfig config, List<string> list, string keyword, string location, bool active, string value)
    {
        if (active && !list.Contains(value, StringComparer.Ordinal))
        {
            if (list.Count == MaxFiles)
            {
                throw new SshConfigException(location, $"too many {keyword} lines apply (at most {MaxFiles}, as in ssh)");
            }

            config.NoteSource(keyword, location);
            list.Add(value);
        }
    }

    private static string Single(SshConfigLine line, string location) =>
        line.Arguments switch
        {
            [{ Length: > 0 } value] => value,
            [{ Length: > 0 }, ..] => throw new SshConfigException(location, $"{line.WrittenKeyword} takes one argument; remove the extra arguments at the end of the line"),
            _ => throw new SshConfigException(location, $"{line.WrittenKeyword} has an empty argument"),
        };

    private static bool YesNo(SshConfigLine line, string location) =>
        Single(line, location).ToLowerInvariant() switch
        {
            "yes" or "true" => true,
            "no" or "false" => false,
            _ => throw new SshConfigException(location, $"{line.WrittenKeyword} takes yes or no, not \"{line.Arguments[0]}\""),
        };

    private static string StrictHostKeyChecking(SshConfigLine line, string location) =>
        Single(line, location).ToLowerInvariant() switch
        {
            "yes" or "true" => "yes",
            "no" or "false" or "off" => "no",
            "ask" => "ask",
            "accept-new" => "accept-new",
            _ => throw new SshConfigException(location, $"StrictHostKeyChecking takes yes, accept-new, no or ask, not \"{line.Arguments[0]}\""),
        };

    private static List<string> FileList(SshConfigLine line, string location)
    {
        if (line.Arguments.Any(a => a.Length == 0))
        {
            throw new SshConfigException(location, $"{line.WrittenKeyword} has an empty argument");
        }

        if (line.Arguments.Count > 1 && line.Arguments.Any(a => a.Equals("none", StringComparison.OrdinalIgnoreCase)))
        {
            throw new SshConfigException(location, $"{line.WrittenKeyword} \"none\" must appear alone");
        }

        return [.. line.Arguments];
    }
}
