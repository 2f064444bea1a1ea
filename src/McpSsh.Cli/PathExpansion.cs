namespace McpSsh.Cli;

/// <summary>
/// Desktop AI configs start commands without a shell, so "~/.ssh/key" arrives unexpanded; expand it as the
/// Python client (os.path.expanduser) does.
/// </summary>
internal static class PathExpansion
{
    public static string Home =>
        Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    public static string Expand(string path)
    {
        if (path == "~")
        {
            return Home;
        }

        if (path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
        {
            return Path.Combine(Home, path[2..]);
        }

        return Path.GetFullPath(path);
    }
}
