using McpSsh.Platform;

namespace McpSsh.Ssh.Config;

/// <summary>
/// A config file ssh reads on its own (not through Include): the user's (<c>~/.ssh/config</c> or <c>-F FILE</c>)
/// or the system's (<c>/etc/ssh/ssh_config</c>). Relative Include paths resolve against
/// <see cref="IncludeDirectory"/>: <c>~/.ssh</c> for the user's, <c>/etc/ssh</c> for the system's.
/// </summary>
public sealed record SshConfigFile(string Path, string IncludeDirectory, bool Required = false)
{
    /// <summary>What ssh reads without -F for this process's OS, with <paramref name="homeDirectory"/> as home.</summary>
    public static IReadOnlyList<SshConfigFile> Defaults(string homeDirectory) => Defaults(HostEnvironment.Current with { Home = homeDirectory });

    /// <summary>
    /// What ssh reads without -F: the user's config, then the system's; on Windows, as Win32-OpenSSH,
    /// %USERPROFILE%\.ssh\config and %ProgramData%\ssh\ssh_config.
    /// </summary>
    public static IReadOnlyList<SshConfigFile> Defaults(HostEnvironment environment)
    {
        string userDirectory = environment.SshDirectory;
        string systemDirectory = environment.IsWindows
            ? environment.Join(environment.Get("ProgramData") ?? @"C:\ProgramData", "ssh")
            : "/etc/ssh";
        return
        [
            new(environment.Join(userDirectory, "config"), userDirectory),
            new(environment.Join(systemDirectory, "ssh_config"), systemDirectory),
        ];
    }

    /// <summary>Only <paramref name="path"/>, as <c>ssh -F</c>: it must exist, and it counts as the user's config.</summary>
    public static IReadOnlyList<SshConfigFile> Only(string path, string homeDirectory) =>
        Only(path, HostEnvironment.Current with { Home = homeDirectory });

    public static IReadOnlyList<SshConfigFile> Only(string path, HostEnvironment environment) =>
        [new(path, environment.SshDirectory, Required: true)];
}
