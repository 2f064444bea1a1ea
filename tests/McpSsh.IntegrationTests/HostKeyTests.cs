using McpSsh.IntegrationTests.Fixtures;
using McpSsh.Tests.Common;

namespace McpSsh.IntegrationTests;

/// <summary>Every host-key verdict against the real sshd: never a prompt, always one clear line and exit code 5.</summary>
[Collection(SshdCollection.Name)]
public sealed class HostKeyTests(SshdFixture sshd) : IDisposable
{
    private const int HostKeyExit = 5;
    private readonly string _dir = Directory.CreateTempSubdirectory("mcp-ssh-kh-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private List<string> Args(string knownHosts, params string[] extra)
    {
        List<string> args = McpSshRun.Args(sshd, sshd.TestServerKey, extra);
        args[args.IndexOf("--known-hosts") + 1] = knownHosts;
        return args;
    }

    private string KnownHostsWith(params string[] lines)
    {
        string path = Path.Combine(_dir, $"known_hosts_{Guid.NewGuid():N}");
        File.WriteAllLines(path, lines);
        return path;
    }

    private string KeyField(string type) => string.Join(' ', sshd.HostKeyPub(type).Split(' ')[..2]);

    private string Fingerprint(string type) =>
        Tool.Run("ssh-keygen", "-l", "-E", "sha256", "-f", Path.Combine(sshd.Dir, $"ssh_host_{type}_key.pub")).Split(' ')[1];

    [Fact]
    public async Task UnknownHost_IsRefusedWithTheLineToAdd()
    {
        string knownHosts = KnownHostsWith("[127.0.0.1]:1 " + KeyField("ed25519"));
        (int code, string stderr, string stdout) = await RawMcpSsh.RunToEndAsync(Args(knownHosts));

        Assert.Equal(HostKeyExit, code);
        Assert.Empty(stdout);
        string line = Assert.Single(stderr.Split('\n'), l => l.StartsWith("mcp-ssh:", StringComparison.Ordinal));
        Assert.Contains($"host key for {sshd.HostName} is not known", line);
        Assert.Contains($"ssh-ed25519 {Fingerprint("ed25519")}", line);
        Assert.Contains($"add this line to {knownHosts}: {sshd.HostName} {KeyField("ed25519")}", line);
        Assert.Contains("--accept-new", line);
    }

    [Fact]
    public async Task ChangedKey_IsRefusedCitingFileLineAndTheRemovalCommand()
    {
        string otherKey = Tool.KeyGen(_dir, "impostor", "ed25519");
        string knownHosts = KnownHostsWith("# first line", $"{sshd.HostName} {string.Join(' ', File.ReadAllText(otherKey + ".pub").Split(' ')[..2])}");
        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(Args(knownHosts));

        Assert.Equal(HostKeyExit, code);
        Assert.Contains($"HOST KEY CHANGED for {sshd.HostName}", stderr);
        Assert.Contains($"offered ssh-ed25519 {Fingerprint("ed25519")}", stderr);
        Assert.Contains($"{knownHosts}:2 has SHA256:", stderr);
        Assert.Contains($"ssh-keygen -R '{sshd.HostName}' -f '{knownHosts}'", stderr);
    }

    [Fact]
    public async Task RevokedKey_IsRefused()
    {
        string knownHosts = KnownHostsWith($"{sshd.HostName} {KeyField("ed25519")}", $"@revoked * {KeyField("ed25519")}");
        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(Args(knownHosts));

        Assert.Equal(HostKeyExit, code);
        Assert.Contains($"host key for {sshd.HostName} is REVOKED", stderr);
        Assert.Contains($"{knownHosts}:2 marks @revoked", stderr);
    }

    [Fact]
    public async Task AcceptNew_AddsUnknownKeyOnceThenItIsKnown()
    {
        string knownHosts = Path.Combine(_dir, "fresh", "known_hosts");
        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(Args(knownHosts, "--accept-new"));
        Assert.Equal(0, code);
        Assert.Contains("Added the host key", stderr);
        Assert.Equal([$"{sshd.HostName} {KeyField("ed25519")}"], File.ReadAllLines(knownHosts));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(knownHosts));

        // Second run: known, nothing appended, and strict mode accepts it too.
        (int again, string stderr2, _) = await RawMcpSsh.RunToEndAsync(Args(knownHosts));
        Assert.Equal(0, again);
        Assert.DoesNotContain("Added the host key", stderr2);
        Assert.Single(File.ReadAllLines(knownHosts));
    }

    [Fact]
    public async Task AcceptNew_ChangedKeyIsStillRefused()
    {
        string otherKey = Tool.KeyGen(_dir, "impostor2", "ed25519");
        string knownHosts = KnownHostsWith($"{sshd.HostName} {string.Join(' ', File.ReadAllText(otherKey + ".pub").Split(' ')[..2])}");
        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(Args(knownHosts, "--accept-new"));
        Assert.Equal(HostKeyExit, code);
        Assert.Contains("HOST KEY CHANGED", stderr);
        Assert.Single(File.ReadAllLines(knownHosts));
    }

    [Fact]
    public async Task HashedKnownHosts_FromSshKeygenH_Connects()
    {
        string knownHosts = KnownHostsWith($"{sshd.HostName} {KeyField("ed25519")}");
        Tool.Run("ssh-keygen", "-q", "-H", "-f", knownHosts);
        Assert.StartsWith("|1|", File.ReadAllText(knownHosts));

        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(Args(knownHosts));
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public async Task KnownHostsFromSshKeyscan_Connects()
    {
        string scanned = Tool.Run("ssh-keyscan", "-p", sshd.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1");
        string knownHosts = KnownHostsWith(scanned.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(Args(knownHosts));
        Assert.True(code == 0, stderr);
    }

    [Theory]
    [InlineData("ecdsa")]
    [InlineData("rsa")]
    public async Task HostKnownOnlyByAnotherKeyType_NegotiatesThatType(string type)
    {
        // sshd offers ed25519 first; ordering host-key algorithms by known_hosts makes it use the known type.
        string knownHosts = KnownHostsWith($"{sshd.HostName} {KeyField(type)}");
        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(Args(knownHosts, "--log-level", "debug"));
        Assert.True(code == 0, stderr);
        Assert.Contains($"is known: {KeyField(type).Split(' ')[0]} {Fingerprint(type)}", stderr);
    }

    [Fact]
    public async Task DisabledChecking_ConnectsAndWarnsLoudly()
    {
        List<string> args = McpSshRun.Args(sshd, sshd.TestServerKey);
        int i = args.IndexOf("--known-hosts");
        args.RemoveRange(i, 2);
        args.Add("--disable-host-key-checking");
        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(args);
        Assert.Equal(0, code);
        Assert.Contains("HOST KEY CHECKING IS DISABLED", stderr);
        Assert.Contains(Fingerprint("ed25519"), stderr);
    }
}
