using McpSsh.IntegrationTests.Fixtures;
using McpSsh.Tests.Common;

namespace McpSsh.IntegrationTests;

/// <summary>
/// An impostor on the server's address that offers only a key of another type (ECDSA where known_hosts has the
/// real ed25519 key) must be refused as a CHANGED host key, as OpenSSH does: never taken for an unknown host,
/// never added by --accept-new.
/// </summary>
public sealed class HostKeyTypeConfusionTests : IAsyncLifetime
{
    private const int HostKeyExit = 5;
    private readonly string _dir = Directory.CreateTempSubdirectory("mcp-ssh-impostor-").FullName;
    private PrivateSshd? _impostor;

    private PrivateSshd Impostor => _impostor!;

    public async Task InitializeAsync() => _impostor = await PrivateSshd.StartAsync(["ecdsa"]);

    public async Task DisposeAsync()
    {
        if (_impostor is not null)
        {
            await _impostor.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>known_hosts that knows the real server (an ed25519 key that is not the impostor's) on the impostor's port.</summary>
    private string KnownHostsWithTheRealKey()
    {
        string realKey = Tool.KeyGen(_dir, $"real_{Guid.NewGuid():N}", "ed25519");
        string path = Path.Combine(_dir, $"known_hosts_{Guid.NewGuid():N}");
        File.WriteAllLines(path, ["# the real server", $"{Impostor.HostName} {string.Join(' ', File.ReadAllText(realKey + ".pub").Split(' ')[..2])}"]);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ImpostorWithAnotherKeyType_IsAChangedKey_AndKnownHostsIsUntouched(bool acceptNew)
    {
        string knownHosts = KnownHostsWithTheRealKey();
        byte[] before = File.ReadAllBytes(knownHosts);

        (int code, string stderr, string stdout) = await RawMcpSsh.RunToEndAsync(acceptNew ? Impostor.ClientArgs(knownHosts, "--accept-new") : Impostor.ClientArgs(knownHosts));

        Assert.True(code == HostKeyExit, $"exit {code}: {stderr}");
        Assert.Empty(stdout);
        string line = Assert.Single(stderr.Split('\n'), l => l.StartsWith("mcp-ssh:", StringComparison.Ordinal));
        Assert.Contains($"HOST KEY CHANGED for {Impostor.HostName}", line);
        Assert.Contains($"offered ecdsa-sha2-nistp256 ", line);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(knownHosts)}:2 has SHA256:\S+ \(ssh-ed25519\)", line);
        Assert.DoesNotContain("--accept-new", line);
        Assert.DoesNotContain("not known", line);
        Assert.DoesNotContain("Added the host key", stderr);
        Assert.Equal(before, File.ReadAllBytes(knownHosts));
        Assert.DoesNotContain("Accepted publickey", Impostor.Log); // the impostor never got a login
    }
}
