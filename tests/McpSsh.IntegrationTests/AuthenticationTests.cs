using System.Globalization;
using System.Net;
using System.Net.Sockets;
using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests;

/// <summary>Keys, passphrases and refusals against the real sshd: each failure is one clear line and its own exit code.</summary>
[Collection(SshdCollection.Name)]
public sealed class AuthenticationTests(SshdFixture sshd) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mcp-ssh-auth-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string ErrorLine(string stderr) => Assert.Single(stderr.Split('\n'), l => l.StartsWith("mcp-ssh:", StringComparison.Ordinal));

    [Fact]
    public async Task EncryptedKey_MissingPassphrase_ExitsSevenNamingTheFix()
    {
        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(McpSshRun.Args(sshd, sshd.EncryptedKey));
        Assert.Equal(7, code);
        Assert.Contains($"private key {sshd.EncryptedKey} is encrypted and no passphrase was given", ErrorLine(stderr));
        Assert.Contains("MCP_SSH_PASSPHRASE", stderr);
    }

    [Fact]
    public async Task EncryptedKey_WrongPassphrase_ExitsSevenWithoutLeakingIt()
    {
        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(McpSshRun.Args(sshd, sshd.EncryptedKey),
            new Dictionary<string, string> { ["MCP_SSH_PASSPHRASE"] = "hunter2-wrong" });
        Assert.Equal(7, code);
        Assert.Contains($"wrong passphrase for private key {sshd.EncryptedKey}", ErrorLine(stderr));
        Assert.DoesNotContain("hunter2-wrong", stderr);
    }

    [Fact]
    public async Task EncryptedKey_RightPassphrase_FromEnvironmentFileOrFlag()
    {
        (int fromEnv, string stderrEnv, _) = await RawMcpSsh.RunToEndAsync(McpSshRun.Args(sshd, sshd.EncryptedKey, "--log-level", "debug"),
            new Dictionary<string, string> { ["MCP_SSH_PASSPHRASE"] = SshdFixture.EncryptedKeyPassphrase });
        Assert.True(fromEnv == 0, stderrEnv);
        Assert.DoesNotContain(SshdFixture.EncryptedKeyPassphrase, stderrEnv);

        string file = Path.Combine(_dir, "passphrase");
        File.WriteAllText(file, SshdFixture.EncryptedKeyPassphrase + "\n");
        (int fromFile, string stderrFile, _) = await RawMcpSsh.RunToEndAsync(McpSshRun.Args(sshd, sshd.EncryptedKey, "--passphrase-file", file));
        Assert.True(fromFile == 0, stderrFile);

        (int fromFlag, string stderrFlag, _) = await RawMcpSsh.RunToEndAsync(McpSshRun.Args(sshd, sshd.EncryptedKey, "--passphrase", SshdFixture.EncryptedKeyPassphrase));
        Assert.True(fromFlag == 0, stderrFlag);
        Assert.Contains("--passphrase is visible to other users in process lists", stderrFlag);
        Assert.DoesNotContain(SshdFixture.EncryptedKeyPassphrase, stderrFlag);
    }

    [Fact]
    public async Task UnauthorizedKey_ExitsSixWithTheInstallHint()
    {
        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(McpSshRun.Args(sshd, sshd.UnauthorizedKey));
        Assert.Equal(6, code);
        string line = ErrorLine(stderr);
        Assert.Contains($"authentication failed at 127.0.0.1:{sshd.Port}: the server refused key {sshd.UnauthorizedKey} for user '{sshd.User}'", line);
        Assert.Contains($"{sshd.UnauthorizedKey}.pub", line);
    }

    [Fact]
    public async Task RsaKey_AuthenticatesWithSha2SignaturesOnly()
    {
        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(McpSshRun.Args(sshd, sshd.RsaKey));
        Assert.True(code == 0, stderr);
        Assert.Contains("Accepted publickey for", sshd.SshdLog);
        // A SHA-1 ssh-rsa attempt would show up as a rejected algorithm and cost a MaxAuthTries attempt.
        Assert.DoesNotContain("ssh-rsa not in PubkeyAcceptedAlgorithms", sshd.SshdLog);
    }

    [Fact]
    public async Task RefusedPort_ExitsThreeNamingHostAndPort()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        List<string> args = McpSshRun.Args(sshd, sshd.TestServerKey);
        args[args.IndexOf("--port") + 1] = port.ToString(CultureInfo.InvariantCulture);
        (int code, string stderr, string stdout) = await RawMcpSsh.RunToEndAsync(args);
        Assert.Equal(3, code);
        Assert.Empty(stdout);
        Assert.Contains($"connection refused by 127.0.0.1:{port}", ErrorLine(stderr));
    }

    [Fact]
    public async Task DefaultKeyPath_MissingKeyIsGeneratedWithTheLineToInstall()
    {
        string home = Path.Combine(_dir, "home");
        Directory.CreateDirectory(home);
        List<string> args = McpSshRun.Args(sshd, sshd.TestServerKey);
        args.RemoveRange(args.IndexOf("--client-key"), 2);

        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(args, new Dictionary<string, string> { ["HOME"] = home });

        string key = Path.Combine(home, ".ssh", "m2m_mcp_server_ssh_client");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(key + ".pub"));
        Assert.Contains($"Generated a new Ed25519 client key at {key}", stderr);
        Assert.Contains(File.ReadAllText(key + ".pub").Trim(), stderr);
        Assert.Equal(6, code); // not authorized on the server yet: the next thing the user must do
    }

    [Fact]
    public async Task GroupReadableKey_Warns()
    {
        string key = Path.Combine(_dir, "loose");
        File.Copy(sshd.TestServerKey, key);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(McpSshRun.Args(sshd, key));
        Assert.True(code == 0, stderr);
        Assert.Contains($"chmod 600 {key}", stderr);
    }

    [Theory]
    [InlineData("--no-such-flag")]
    [InlineData("--port", "nope")]
    [InlineData("--disable-host-key-checking", "--known-hosts", "/tmp/x")]
    public async Task BadUsage_ExitsTwoWithOneLine(params string[] args)
    {
        (int code, string stderr, string stdout) = await RawMcpSsh.RunToEndAsync(args);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.StartsWith("mcp-ssh: ", stderr);
    }

    [Fact]
    public async Task PythonStyleAbbreviatedFlags_AreAccepted()
    {
        List<string> args = McpSshRun.Args(sshd, sshd.TestServerKey);
        args[args.IndexOf("--username")] = "--user";
        args[args.IndexOf("--known-hosts")] = "--known";
        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(args);
        Assert.True(code == 0, stderr);
    }
}
