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

    /// <summary>Bounds of our own (ssh has none): a config is a few KiB; an Include of /dev/zero or a fan of includes is not.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    public const int MaxFiles = 256;

    /// <summary>What a block behind an unsupported Match criterion may not set: ignoring these would weaken the connection.</summary>
    private static readonly HashSet<string> s_trustKeywords = new(StringComparer.Ordinal)
    {
        "proxyjump", "proxycommand", "stricthostkeychecking", "userknownhostsfile", "globalknownhostsfile", "hostkeyalias",
    };

    public static ResolvedSshConfig Resolve(SshConfigContext context, IReadOnlyList<SshConfigFile> files)
    {
        var resolved = new ResolvedSshConfig(context.OriginalHost);
        var filesRead = new int[1];
        foreach (SshConfigFile file in files)
        {
            if (Directory.Exists(file.Path))
            {
                throw new SshConfigException(file.Path, "is a directory, not an OpenSSH config file");
            }

            if (!File.Exists(file.Path))
            {
                if (file.Required)
                {
                    throw new SshConfigException(file.Path, "the OpenSSH config file does not exist");
                }

                continue;
            }

            bool active = true;
            ReadFile(file.Path, file, context, resolved, ref active, depth: 0, filesRead);
        }

        return resolved;
    }

    private static void ReadFile(string path, SshConfigFile top, SshConfigContext context, ResolvedSshConfig resolved, ref bool active, int depth, int[] filesRead)
    {
        if (++filesRead[0] > MaxFiles)
        {
            throw new SshConfigException(path, $"more than {MaxFiles} OpenSSH config files are read through Include; check the Include lines for a fan-out");
        }

        string[] lines = ReadLines(path);
        string? uncertain = null;

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
                    uncertain = null;
                    break;
                case "match":
                    active = SshConfigMatch.Match(line.Arguments, context, HostSoFar(resolved, context), UserSoFar(resolved, context), location, resolved.Warnings, out string? unsupported);
                    uncertain = unsupported is null ? null : $"Match {unsupported} ({location})";
                    break;
                case "include":
                    Include(line, location, top, context, resolved, ref active, depth, filesRead);
                    break;
                case var keyword when uncertain is not null && s_trustKeywords.Contains(keyword):
                    // ssh might apply it; skipping it could mean a direct connection or weaker host-key checks.
                    throw new SshConfigException(location,
                        $"{line.WrittenKeyword} is set in a block mcp-ssh cannot evaluate ({uncertain}); use --ssh-command ssh so that ssh decides, or remove the Match");
                default:
                    SshConfigKeywords.Apply(line, location, active, resolved);
                    break;
            }
        }
    }

    private static void Include(SshConfigLine line, string location, SshConfigFile top, SshConfigContext context, ResolvedSshConfig resolved, ref bool active, int depth, int[] filesRead)
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
                ReadFile(included, top, context, resolved, ref inner, depth + 1, filesRead);
            }
        }
    }

    /// <summary>
    /// The file's lines, split on LF only as ssh's getline does (a lone CR stays inside its line). A file that reports
    /// no size (empty, or a FIFO or device such as /dev/zero) is never opened, so it can neither block nor flood.
    /// </summary>
    private static string[] ReadLines(string path)
    {
        try
        {
            long length = new FileInfo(path).Length;
            if (length == 0)
            {
                return [];
            }

            if (length > MaxFileBytes)
            {
                throw new SshConfigException(path, $"is {length} bytes; an OpenSSH config file larger than {MaxFileBytes} bytes is refused");
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var buffer = new byte[MaxFileBytes + 1];
            int total = 0, read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            if (total > MaxFileBytes)
            {
                throw new SshConfigException(path, $"grew past {MaxFileBytes} bytes while it was read");
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, total).Split('\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SshConfigException(path, $"cannot read the OpenSSH config file: {ex.Message}");
        }
    }

    private static string HostSoFar(ResolvedSshConfig resolved, SshConfigContext context) =>
        resolved.HostName is { } hostName ? SshConfigTokens.ExpandHostName(hostName, context.OriginalHost) : context.OriginalHost;

    private static string UserSoFar(ResolvedSshConfig resolved, SshConfigContext context) =>
        context.UserFromCommandLine ?? resolved.User ?? context.LocalUser;
}
