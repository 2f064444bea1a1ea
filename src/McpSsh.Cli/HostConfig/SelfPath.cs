namespace McpSsh.Cli.HostConfig;

/// <summary>
/// The path a config entry should run: this binary as it was invoked. Environment.ProcessPath is the resolved file
/// (on Linux /proc/self/exe), which under Homebrew is /opt/homebrew/Cellar/mcp-ssh/1.2.0/bin/mcp-ssh: an entry
/// pointing there breaks at the next upgrade. The invoked path (argv[0], or its PATH lookup) is kept whenever it
/// names the same file, so the entry says /opt/homebrew/bin/mcp-ssh.
/// </summary>
internal static class SelfPath
{
    public static string Current() =>
        Choose(Environment.GetCommandLineArgs().FirstOrDefault(), Environment.ProcessPath, Environment.GetEnvironmentVariable("PATH"),
            Environment.CurrentDirectory, OperatingSystem.IsWindows(), File.Exists, SameFile);

    public static string Choose(string? argv0, string? processPath, string? pathVariable, string cwd, bool windows, Func<string, bool> isFile, Func<string, string, bool> sameFile)
    {
        string? invoked = Invoked(argv0, pathVariable, cwd, windows, isFile);
        if (invoked is not null && processPath is not null && sameFile(invoked, processPath))
        {
            return invoked;
        }

        return processPath ?? invoked ?? throw new ConfigFileException("cannot tell where this mcp-ssh binary is (no process path); run it by its full path");
    }

    private static string? Invoked(string? argv0, string? pathVariable, string cwd, bool windows, Func<string, bool> isFile)
    {
        if (string.IsNullOrEmpty(argv0))
        {
            return null;
        }

        if (argv0.Contains('/') || (windows && argv0.Contains('\\')))
        {
            return Path.GetFullPath(argv0, cwd);
        }

        foreach (string dir in (pathVariable ?? "").Split(windows ? ';' : ':', StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string name in windows && !argv0.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) ? [argv0 + ".exe", argv0] : new[] { argv0 })
            {
                string candidate = Path.Join(dir, name);
                if (Path.IsPathFullyQualified(candidate) && isFile(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static bool SameFile(string a, string b)
    {
        try
        {
            return string.Equals(McpSsh.Ssh.Keys.AtomicFile.ResolveSymlinks(a), McpSsh.Ssh.Keys.AtomicFile.ResolveSymlinks(b),
                OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
