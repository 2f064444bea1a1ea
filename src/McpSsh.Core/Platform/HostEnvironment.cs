namespace McpSsh.Platform;

/// <summary>The operating systems mcp-ssh ships for.</summary>
public enum OsFamily
{
    Linux,
    MacOS,
    Windows,
}

/// <summary>
/// The one place OS differences in paths come from: which OS, its environment variables and the user's home.
/// Code that finds files (~/.ssh, known_hosts, desktop app configs) takes one of these instead of asking the
/// process, so unit tests run the Windows and macOS rules here on Linux with an injected environment.
/// </summary>
public sealed record HostEnvironment(OsFamily Os, Func<string, string?> Variable, string Home)
{
    /// <summary>The machine this process runs on; HOME wins over the profile folder, as OpenSSH does on Unix.</summary>
    public static HostEnvironment Current { get; } = new(
        OperatingSystem.IsWindows() ? OsFamily.Windows : OperatingSystem.IsMacOS() ? OsFamily.MacOS : OsFamily.Linux,
        Environment.GetEnvironmentVariable,
        CurrentHome());

    public bool IsWindows => Os == OsFamily.Windows;

    /// <summary>An environment variable, or null when it is unset or empty.</summary>
    public string? Get(string name) => Variable(name) is { Length: > 0 } value ? value : null;

    /// <summary>Joins path parts with this OS's separator (so Windows paths stay Windows paths when tested on Linux).</summary>
    public string Join(params string[] parts)
    {
        char separator = IsWindows ? '\\' : '/';
        return string.Join(separator, parts.Where(p => p.Length > 0).Select((p, i) => i == 0 ? p.TrimEnd('/', '\\') : p.Trim('/', '\\')));
    }

    /// <summary>The user's OpenSSH directory: ~/.ssh (on Windows %USERPROFILE%\.ssh, as Win32-OpenSSH uses).</summary>
    public string SshDirectory => Join(Home, ".ssh");

    /// <summary>Builds an environment for tests: variables from a dictionary, home from HOME or USERPROFILE.</summary>
    public static HostEnvironment For(OsFamily os, IReadOnlyDictionary<string, string> variables)
    {
        string? Lookup(string name) => variables.TryGetValue(name, out string? value) ? value : null;
        string home = (os == OsFamily.Windows ? Lookup("USERPROFILE") : Lookup("HOME"))
            ?? throw new ArgumentException(os == OsFamily.Windows ? "USERPROFILE is required" : "HOME is required", nameof(variables));
        return new HostEnvironment(os, Lookup, home);
    }

    private static string CurrentHome() =>
        Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home && !OperatingSystem.IsWindows()
            ? home
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
