using McpSsh.Platform;

namespace McpSsh.Cli;

/// <summary>
/// Desktop AI configs start commands without a shell, so "~/.ssh/key" arrives unexpanded; expand it as the
/// Python client (os.path.expanduser) does, against <see cref="HostEnvironment"/>'s home (%USERPROFILE% on Windows).
/// </summary>
internal static class PathExpansion
{
    public static string Home => HostEnvironment.Current.Home;

    public static string Expand(string path) => Expand(path, HostEnvironment.Current);

    /// <summary>
    /// "~" and "~/rest" (or "~\rest") become the home of <paramref name="environment"/>, with that OS's separators.
    /// Other paths are made absolute against the working directory when <paramref name="environment"/> is this
    /// machine's OS; an injected other OS (unit tests) gets them back as given, since this process cannot resolve them.
    /// </summary>
    public static string Expand(string path, HostEnvironment environment)
    {
        if (path == "~")
        {
            return environment.Home;
        }

        if (path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
        {
            string rest = environment.IsWindows ? path[2..].Replace('/', '\\') : path[2..];
            return environment.Join(environment.Home, rest);
        }

        return environment.Os == HostEnvironment.Current.Os ? Path.GetFullPath(path) : path;
    }
}
