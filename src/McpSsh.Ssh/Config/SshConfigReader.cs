namespace McpSsh.Ssh.Config;

/// <summary>
/// Resolves one host through OpenSSH client config files in one pass, as ssh does: each file starts with every
/// line active; <c>Host</c> and <c>Match</c> open blocks; <c>Include</c> reads files (globs, sorted) in place,
/// only when its block applies, and leaves the block as it found it; the first value obtained wins.
/// </summary>
public static class SshConfigReader
{
    /// <summary>ssh's READCONF_MAX_DEPTH.</summary>
    public const int MaxIncludeDepth = 16;

    public static ResolvedSshConfig Resolve(SshConfigContext context, IReadOnlyList<SshConfigFile> files)
    {
        var resolved = new ResolvedSshConfig(context.OriginalHost);
        foreach (SshConfigFile file in files)
        {
            if (!File.Exists(file.Path))
            {
                if (file.Required)
                {
                    throw new SshConfigException(file.Path, "the OpenSSH config file does not exist");
                }

                continue;
            }

            bool active = true;
            ReadFile(file.Path, file, context, resolved, ref active, depth: 0);
        }

        return resolved;
    }

    private static void ReadFile(string path, SshConfigFile top, SshConfigContext context, ResolvedSshConfig resolved, ref bool active, int depth)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SshConfigException(path, $"cannot read the OpenSSH config file: {ex.Message}");
        }

        for (int i = 0; i < lines.Length; i++)
        {
            string location = $"{path}:{i + 1}";
            if (SshConfigLine.Parse(lines[i], location) is not { } line)
            {
                continue;
            }

            switch (line.Keyword)
            {
                case "host":
                    active = SshConfigMatch.Host(line.Arguments, context.OriginalHost, location);
                    break;
                case "match":
                    active = SshConfigMatch.Match(line.Arguments, context, HostSoFar(resolved, context), UserSoFar(resolved, context), location, resolved.Warnings);
                    break;
                case "include":
                    Include(line, location, top, context, resolved, ref active, depth);
                    break;
                default:
                    SshConfigKeywords.Apply(line, location, active, resolved);
                    break;
            }
        }
    }

    private static void Include(SshConfigLine line, string location, SshConfigFile top, SshConfigContext context, ResolvedSshConfig resolved, ref bool active, int depth)
    {
        if (!active)
        {
            return;
        }

        if (depth + 1 > MaxIncludeDepth)
        {
            throw new SshConfigException(location, $"Include nests deeper than {MaxIncludeDepth} files");
        }

        foreach (string argument in line.Arguments)
        {
            string pattern = argument.StartsWith("~/", StringComparison.Ordinal)
                ? Path.Join(context.HomeDirectory, argument[2..])
                : Path.IsPathRooted(argument) ? argument : Path.Join(top.IncludeDirectory, argument);
            foreach (string included in PathGlob.Expand(pattern))
            {
                // The included file's Host and Match lines open blocks of their own; the including block resumes after.
                bool inner = active;
                ReadFile(included, top, context, resolved, ref inner, depth + 1);
            }
        }
    }

    private static string HostSoFar(ResolvedSshConfig resolved, SshConfigContext context) =>
        resolved.HostName is { } hostName ? SshConfigTokens.ExpandHostName(hostName, context.OriginalHost) : context.OriginalHost;

    private static string UserSoFar(ResolvedSshConfig resolved, SshConfigContext context) =>
        context.UserFromCommandLine ?? resolved.User ?? context.LocalUser;
}
