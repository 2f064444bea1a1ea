using McpSsh.IntegrationTests.Fixtures;
using McpSsh.Tests.Common;

namespace McpSsh.IntegrationTests;

/// <summary>OpenSSH certificates made by ssh-keygen -s: user certificates for login, host certificates via @cert-authority.</summary>
public sealed class CertificateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mcp-ssh-certs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string ForceTestServer => $"ForceCommand {TestPaths.Dotnet} {TestPaths.TestServerDll}";

    /// <summary>A user key certified by a CA that sshd trusts (TrustedUserCAKeys); the key is in no authorized_keys.</summary>
    private (string Key, string CaPub) CertifiedUserKey(string principal)
    {
        string ca = Tool.KeyGen(_dir, "user_ca", "ed25519");
        string key = Tool.KeyGen(_dir, "user_key", "ed25519");
        Tool.Run("ssh-keygen", "-q", "-s", ca, "-I", "mcp-ssh-test", "-n", principal, "-V", "-5m:+1h", key + ".pub");
        return (key, ca + ".pub");
    }

    [Fact]
    public async Task UserCertificateBesideTheKey_Authenticates_AndWithoutItTheKeyIsRefused()
    {
        (string key, string caPub) = CertifiedUserKey(Environment.UserName);
        await using PrivateSshd sshd = await PrivateSshd.StartWithKeyOptionsAsync(["ed25519"], "restrict", $"TrustedUserCAKeys {caPub}", ForceTestServer);
        string knownHosts = Path.Combine(_dir, "known_hosts");
        File.WriteAllText(knownHosts, $"{sshd.HostName} {sshd.HostKeyPub("ed25519")}\n");
        List<string> args = sshd.ClientArgs(knownHosts);
        args[args.IndexOf("--client-key") + 1] = key;

        await using (ClientSession session = await McpSshRun.ConnectAsync(args))
        {
            Assert.Contains(await session.Client.ListToolsAsync(), t => t.Name == "echo");
            Assert.Contains("with its certificate", session.Stderr, StringComparison.Ordinal);
        }

        await sshd.WaitForLogAsync("Accepted publickey for " + Environment.UserName);
        Assert.Contains("ED25519-CERT", sshd.Log, StringComparison.Ordinal);

        File.Move(key + "-cert.pub", key + "-cert.pub.away");
        (int code, _, _) = await RawMcpSsh.RunToEndAsync(args);
        Assert.Equal(6, code);
    }

    [Fact]
    public async Task CertificateFile_PairsWithAKeyHeldOnlyByTheAgent()
    {
        (string key, string caPub) = CertifiedUserKey(Environment.UserName);
        await using PrivateSshd sshd = await PrivateSshd.StartWithKeyOptionsAsync(["ed25519"], "restrict", $"TrustedUserCAKeys {caPub}", ForceTestServer);
        using var home = new TestHome();
        using SshAgentProcess agent = SshAgentProcess.Start();
        string bare = Path.Combine(home.Path, "bare_key");
        File.Copy(key, bare);
        File.SetUnixFileMode(bare, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        agent.Add(bare); // no certificate beside it: the agent holds only the plain key
        File.Delete(bare);
        string knownHosts = Path.Combine(home.SshDir, "known_hosts_cert");
        File.WriteAllText(knownHosts, $"{sshd.HostName} {sshd.HostKeyPub("ed25519")}\n");
        home.WriteConfig($"""
            Host certified
              HostName 127.0.0.1
              Port {sshd.Port}
              User {Environment.UserName}
              UserKnownHostsFile {knownHosts}
              CertificateFile {key}-cert.pub
            """);

        await using ClientSession session = await McpSshRun.ConnectAsync(["--host", "certified"], environment: home.Environment(agent.SocketPath));

        Assert.Contains(await session.Client.ListToolsAsync(), t => t.Name == "echo");
        Assert.Contains("with its certificate", session.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("not-this-host", false)]
    public async Task HostCertificate_FromATrustedCa_IsAccepted_WithTheRightPrincipalOnly(string principal, bool accepted)
    {
        string hostCa = Tool.KeyGen(_dir, "host_ca", "ed25519");
        await using PrivateSshd sshd = await PrivateSshd.StartPreparedAsync(["ed25519"], $"command=\"{TestPaths.Dotnet} {TestPaths.TestServerDll}\",restrict", dir =>
        {
            Tool.Run("ssh-keygen", "-q", "-s", hostCa, "-I", "host", "-h", "-n", principal, "-V", "-5m:+1h", Path.Combine(dir, "ssh_host_ed25519_key.pub"));
            return [$"HostCertificate {Path.Combine(dir, "ssh_host_ed25519_key-cert.pub")}"];
        });
        string knownHosts = Path.Combine(_dir, "known_hosts_ca");
        File.WriteAllText(knownHosts, $"@cert-authority [127.0.0.1]:* {string.Join(' ', File.ReadAllText(hostCa + ".pub").Split(' ')[..2])}\n");

        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(sshd.ClientArgs(knownHosts, "--log-level", "debug"));

        if (accepted)
        {
            Assert.True(code == 0, stderr);
            Assert.Contains("certificate ssh-ed25519", stderr, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(5, code);
            Assert.Contains($"the host certificate of {sshd.HostName} is valid for not-this-host, not for 127.0.0.1", stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task HostCertificate_FromAnUntrustedCa_IsRefused()
    {
        string hostCa = Tool.KeyGen(_dir, "host_ca", "ed25519");
        string otherCa = Tool.KeyGen(_dir, "other_ca", "ed25519");
        await using PrivateSshd sshd = await PrivateSshd.StartPreparedAsync(["ed25519"], $"command=\"{TestPaths.Dotnet} {TestPaths.TestServerDll}\",restrict", dir =>
        {
            Tool.Run("ssh-keygen", "-q", "-s", hostCa, "-I", "host", "-h", "-n", "127.0.0.1", Path.Combine(dir, "ssh_host_ed25519_key.pub"));
            return [$"HostCertificate {Path.Combine(dir, "ssh_host_ed25519_key-cert.pub")}"];
        });
        string knownHosts = Path.Combine(_dir, "known_hosts_other");
        File.WriteAllText(knownHosts, $"@cert-authority [127.0.0.1]:* {string.Join(' ', File.ReadAllText(otherCa + ".pub").Split(' ')[..2])}\n");

        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(sshd.ClientArgs(knownHosts));

        Assert.Equal(5, code);
        Assert.Contains("which is not the CA that", stderr, StringComparison.Ordinal);
    }
}
