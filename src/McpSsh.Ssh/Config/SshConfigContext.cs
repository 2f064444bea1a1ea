namespace McpSsh.Ssh.Config;

/// <summary>
/// What ssh knows before it reads its config: the host as typed, the local account, and the values given on the
/// command line (which win over the config and are what <c>Match user</c> sees).
/// </summary>
public sealed record SshConfigContext(
    string OriginalHost,
    string LocalUser,
    string HomeDirectory,
    string LocalHostName)
{
    /// <summary>The remote user from the command line (our <c>--username</c>), if given.</summary>
    public string? UserFromCommandLine { get; init; }

    /// <summary>The port from the command line, if given (only used for <c>%p</c>).</summary>
    public int? PortFromCommandLine { get; init; }

    /// <summary>The current process's account, home and host name.</summary>
    public static SshConfigContext ForCurrentUser(string originalHost, string homeDirectory) =>
        new(originalHost, Environment.UserName, homeDirectory, System.Net.Dns.GetHostName());
}
