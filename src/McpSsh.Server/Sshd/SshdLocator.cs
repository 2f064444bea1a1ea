using McpSsh.Gateway;

namespace McpSsh.Server.Sshd;

/// <summary>Finds OpenSSH's sshd (and ssh-keygen beside it), or says exactly how to install it.</summary>
public static class SshdLocator
{
    public static string InstallHint => OperatingSystem.IsMacOS()
        ? "macOS ships sshd at /usr/sbin/sshd; if it is missing, reinstall the command line tools"
        : "install OpenSSH's server: sudo apt-get install openssh-server (Debian, Ubuntu), sudo dnf install openssh-server (Fedora, RHEL), sudo apk add openssh-server (Alpine)";

    /// <summary>Where sshd lives when it is not on a user's PATH (sbin is often missing from it).</summary>
    public static readonly string[] SystemDirectories = ["/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin", "/opt/homebrew/sbin"];

    /// <param name="explicitPath">--sshd, if given: used as is.</param>
    /// <param name="path">The PATH to search before <paramref name="systemDirectories"/>.</param>
    public static string FindSshd(string? explicitPath, string? path, IEnumerable<string> systemDirectories)
    {
        if (explicitPath is not null)
        {
            return IsExecutable(explicitPath) ? Path.GetFullPath(explicitPath) : throw new ServeException($"--sshd {explicitPath} is not an executable file: {InstallHint}");
        }

        return Find("sshd", path, systemDirectories)
            ?? throw new ServeException($"OpenSSH sshd was not found on PATH or in {string.Join(", ", systemDirectories)}: {InstallHint}");
    }

    public static string FindKeygen(string sshd, string? path) =>
        Find("ssh-keygen", string.Join(':', Path.GetDirectoryName(sshd), path), SystemDirectories)
        ?? throw new ServeException("ssh-keygen was not found on PATH: install OpenSSH's client tools (sudo apt-get install openssh-client)");

    private static bool IsExecutable(string file) => File.Exists(file) && (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0;

    /// <summary>The gateway's own lookup (an executable file on the given PATH), with the system directories after it.</summary>
    private static string? Find(string name, string? path, IEnumerable<string> systemDirectories) =>
        ServerCatalog.ResolveExecutable(name, string.Join(':', (path ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(systemDirectories)));
}
