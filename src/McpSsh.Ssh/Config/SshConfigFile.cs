namespace McpSsh.Ssh.Config;

/// <summary>
/// A config file ssh reads on its own (not through Include): the user's (<c>~/.ssh/config</c> or <c>-F FILE</c>)
/// or the system's (<c>/etc/ssh/ssh_config</c>). Relative Include paths resolve against
/// <see cref="IncludeDirectory"/>: <c>~/.ssh</c> for the user's, <c>/etc/ssh</c> for the system's.
/// </summary>
public sealed record SshConfigFile(string Path, string IncludeDirectory, bool Required = false)
{
    /// <summary>What ssh reads without -F: the user's config, then the system's.</summary>
    public static IReadOnlyList<SshConfigFile> Defaults(string homeDirectory)
    {
        string userDirectory = System.IO.Path.Join(homeDirectory, ".ssh");
        string systemDirectory = OperatingSystem.IsWindows()
            ? System.IO.Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "ssh")
            : "/etc/ssh";
        return
        [
            new(System.IO.Path.Join(userDirectory, "config"), userDirectory),
            new(System.IO.Path.Join(systemDirectory, "ssh_config"), systemDirectory),
        ];
    }

    /// <summary>Only <paramref name="path"/>, as <c>ssh -F</c>: it must exist, and it counts as the user's config.</summary>
    public static IReadOnlyList<SshConfigFile> Only(string path, string homeDirectory) =>
        [new(path, System.IO.Path.Join(homeDirectory, ".ssh"), Required: true)];
}
