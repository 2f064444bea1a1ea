using System.Globalization;

namespace McpSsh.IntegrationTests.Fixtures;

/// <summary>
/// A HOME of its own for one test, with <c>~/.ssh/config</c> written by the test: mcp-ssh reads ~ from $HOME, so
/// the user's real config never takes part. Removed on dispose.
/// </summary>
internal sealed class TestHome : IDisposable
{
    public TestHome()
    {
        Path = Directory.CreateTempSubdirectory("mcp-ssh-home-").FullName;
        Directory.CreateDirectory(SshDir);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(SshDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Path { get; }

    public string SshDir => System.IO.Path.Combine(Path, ".ssh");

    public string ConfigFile => System.IO.Path.Combine(SshDir, "config");

    public void WriteConfig(string text) => File.WriteAllText(ConfigFile, text);

    /// <summary>The environment of a run in this home (no agent unless given).</summary>
    public Dictionary<string, string> Environment(string? agentSocket = null) => new()
    {
        ["HOME"] = Path,
        ["SSH_AUTH_SOCK"] = agentSocket ?? "",
    };

    /// <summary>A Host block for the shared sshd: everything but the key, which the test decides.</summary>
    public static string HostBlock(string alias, SshdFixture sshd, string extra = "") =>
        string.Create(CultureInfo.InvariantCulture, $"""
            Host {alias}
              HostName 127.0.0.1
              Port {sshd.Port}
              User {sshd.User}
              UserKnownHostsFile {sshd.KnownHosts}
            {extra}
            """);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
