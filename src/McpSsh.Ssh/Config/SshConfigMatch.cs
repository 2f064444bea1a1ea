using McpSsh.Ssh.KnownHosts;

namespace McpSsh.Ssh.Config;

/// <summary>
/// When a <c>Host</c> or <c>Match</c> line opens a block that applies (OpenSSH 9.2 readconf.c). <c>Host</c> takes
/// whitespace-separated patterns matched case-sensitively against the host as typed, a negated match vetoes the
/// block. <c>Match</c> ANDs criteria, each negatable with <c>!</c>, each taking a comma-separated pattern list.
/// </summary>
internal static class SshConfigMatch
{
    private static readonly string[] s_unsupported = ["canonical", "final", "exec", "localnetwork", "tagged"];
    private static readonly string[] s_takesArgument = ["host", "originalhost", "user", "localuser", "exec", "localnetwork", "tagged"];

    public static bool Host(IReadOnlyList<string> patterns, string host, string location)
    {
        bool matched = false;
        foreach (string raw in patterns)
        {
            if (raw.Length == 0)
            {
                throw new SshConfigException(location, "Host has an empty pattern");
            }

            bool negated = raw[0] == '!';
            if (HostPatternMatcher.WildcardMatch(negated ? raw[1..] : raw, host))
            {
                if (negated)
                {
                    return false;
                }

                matched = true;
            }
        }

        return matched;
    }

    /// <param name="host">The host name so far: HostName (with %h expanded) when set, else the host as typed.</param>
    /// <param name="user">The remote user so far: the command line's, the config's, else the local user.</param>
    /// <param name="unsupported">The criterion mcp-ssh cannot evaluate (exec, final, ...), if the line has one.</param>
    public static bool Match(IReadOnlyList<string> arguments, SshConfigContext context, string host, string user, string location, List<string> warnings, out string? unsupported)
    {
        unsupported = null;
        bool result = true;
        for (int i = 0; i < arguments.Count; i++)
        {
            string attribute = arguments[i];
            bool negated = attribute.StartsWith('!');
            string name = (negated ? attribute[1..] : attribute).ToLowerInvariant();
            if (name == "all")
            {
                if (arguments.Any(a => a.TrimStart('!').ToLowerInvariant() is not ("all" or "canonical" or "final")))
                {
                    throw new SshConfigException(location, "Match all cannot be combined with other Match attributes");
                }

                result &= !negated;
                continue;
            }

            bool takesArgument = s_takesArgument.Contains(name);
            if (!takesArgument && !s_unsupported.Contains(name))
            {
                throw new SshConfigException(location, $"unsupported Match attribute {attribute}");
            }

            string? patterns = null;
            if (takesArgument)
            {
                if (++i >= arguments.Count || arguments[i].Length == 0)
                {
                    throw new SshConfigException(location, $"Match {name} needs an argument");
                }

                patterns = arguments[i];
            }

            bool matched;
            switch (name)
            {
                case "host":
                    matched = PatternList(host, patterns!, ignoreCase: true);
                    break;
                case "originalhost":
                    matched = PatternList(context.OriginalHost, patterns!, ignoreCase: true);
                    break;
                case "user":
                    matched = PatternList(user, patterns!, ignoreCase: false);
                    break;
                case "localuser":
                    matched = PatternList(context.LocalUser, patterns!, ignoreCase: false);
                    break;
                default:
                    unsupported ??= name;
                    warnings.Add($"{location}: Match {name} is not supported by mcp-ssh; the block is treated as not matching");
                    continue;
            }

            result &= matched != negated;
        }

        return result && unsupported is null;
    }

    /// <summary>ssh's match_pattern_list: comma-separated, a negated match vetoes, else any positive match wins.</summary>
    public static bool PatternList(string text, string patterns, bool ignoreCase)
    {
        string subject = ignoreCase ? text.ToLowerInvariant() : text;
        bool matched = false;
        foreach (string raw in patterns.Split(','))
        {
            bool negated = raw.StartsWith('!');
            string pattern = negated ? raw[1..] : raw;
            if (ignoreCase)
            {
                pattern = pattern.ToLowerInvariant();
            }

            if (HostPatternMatcher.WildcardMatch(pattern, subject))
            {
                if (negated)
                {
                    return false;
                }

                matched = true;
            }
        }

        return matched;
    }
}
