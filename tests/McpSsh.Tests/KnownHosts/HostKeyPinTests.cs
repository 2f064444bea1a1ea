using McpSsh.Ssh;
using McpSsh.Ssh.KeyServer;
using McpSsh.Tests.Common;
using McpSsh.Tests.Server;
using McpSsh.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.KnownHosts;

public class HostKeyPinTests
{
    [Fact]
    public void FirstUse_Pins_SameKeyPasses_ADifferentKeyIsRefused()
    {
        using var dir = new TempDirectory();
        string knownHosts = dir.File("known_hosts");
        string served = AuthorizedKeysStoreTests.RandomKey("server").TypeAndKey;

        HostKeyPin.Apply(knownHosts, "127.0.0.1", 8022, served, "http://127.0.0.1:8000/server_pub_key", NullLogger.Instance);
        Assert.Equal($"[127.0.0.1]:8022 {served}", File.ReadAllText(knownHosts).Trim());

        HostKeyPin.Apply(knownHosts, "127.0.0.1", 8022, served + " comment", "http://127.0.0.1:8000/server_pub_key", NullLogger.Instance);
        Assert.Single(File.ReadAllLines(knownHosts));

        var ex = Assert.Throws<SshConnectException>(() => HostKeyPin.Apply(knownHosts, "127.0.0.1", 8022,
            AuthorizedKeysStoreTests.RandomKey().TypeAndKey, "http://127.0.0.1:8000/server_pub_key", NullLogger.Instance));
        Assert.Equal(ConnectFailure.HostKey, ex.Failure);
        Assert.Contains("HOST KEY CHANGED", ex.Message);
        Assert.Contains($"{knownHosts}:1 pins ssh-ed25519 SHA256:", ex.Message);
        Assert.Contains($"ssh-keygen -R '[127.0.0.1]:8022' -f {knownHosts}", ex.Message);
        Assert.Single(File.ReadAllLines(knownHosts));
    }

    [Fact]
    public void PinnedEd25519_ServedKeyOfAnotherType_IsRefusedAndNotPinned()
    {
        using var dir = new TempDirectory();
        string knownHosts = dir.File("known_hosts");
        string ed25519 = AuthorizedKeysStoreTests.RandomKey("server").TypeAndKey;
        HostKeyPin.Apply(knownHosts, "127.0.0.1", 8022, ed25519, "http://127.0.0.1:8000/server_pub_key", NullLogger.Instance);
        byte[] pinned = File.ReadAllBytes(knownHosts);

        string ecdsa = string.Join(' ', File.ReadAllText(Tool.KeyGen(dir.Path, "impostor", "ecdsa") + ".pub").Split(' ')[..2]);
        var ex = Assert.Throws<SshConnectException>(() => HostKeyPin.Apply(knownHosts, "127.0.0.1", 8022, ecdsa,
            "http://127.0.0.1:8000/server_pub_key", NullLogger.Instance));

        Assert.Equal(ConnectFailure.HostKey, ex.Failure);
        Assert.Contains("HOST KEY CHANGED", ex.Message);
        Assert.Contains("now serves ecdsa-sha2-nistp256", ex.Message);
        Assert.Contains($"{knownHosts}:1 pins", ex.Message);
        Assert.Equal(pinned, File.ReadAllBytes(knownHosts));
    }

    [Fact]
    public void UnusableServedKey_IsAKeyServerFailure()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<SshConnectException>(() => HostKeyPin.Apply(dir.File("known_hosts"), "h", 22, "ssh-ed25519 nope!", "https://h/server_pub_key", NullLogger.Instance));
        Assert.Equal(ConnectFailure.KeyServer, ex.Failure);
        Assert.False(File.Exists(dir.File("known_hosts")));
    }
}
