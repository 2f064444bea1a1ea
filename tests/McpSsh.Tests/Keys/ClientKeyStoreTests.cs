using McpSsh.Ssh;
using McpSsh.Ssh.Keys;
using McpSsh.Tests.Common;
using McpSsh.Tests.Support;
using Renci.SshNet;

namespace McpSsh.Tests.Keys;

public class ClientKeyStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("ed25519", null, null)]
    [InlineData("ecdsa", null, null)]
    [InlineData("ecdsa", "PEM", null)]
    [InlineData("rsa", null, 3072)]
    [InlineData("rsa", "PEM", 2048)]
    [InlineData("rsa", "PKCS8", 2048)]
    [InlineData("ecdsa", "PKCS8", null)]
    public void Load_UnencryptedKeysFromSshKeygen_Load(string type, string? format, int? bits)
    {
        string path = Tool.KeyGen(_dir.Path, $"k_{type}_{format}", type, format: format, bits: bits);
        Assert.NotEmpty(ClientKeyStore.Load(path, passphrase: null).HostKeyAlgorithms);
    }

    [Theory]
    [InlineData("ed25519", null)]
    [InlineData("ecdsa", null)]
    [InlineData("rsa", null)]
    [InlineData("rsa", "PEM")]
    [InlineData("rsa", "PKCS8")]
    public void Load_EncryptedKeys_NeedTheRightPassphrase(string type, string? format)
    {
        string path = Tool.KeyGen(_dir.Path, $"enc_{type}_{format}", type, passphrase: "correct horse", format: format, bits: type == "rsa" ? 2048 : null);

        Assert.NotEmpty(ClientKeyStore.Load(path, "correct horse").HostKeyAlgorithms);

        SshConnectException missing = Assert.Throws<SshConnectException>(() => ClientKeyStore.Load(path, null));
        Assert.Equal(ConnectFailure.KeyFile, missing.Failure);
        Assert.Contains("is encrypted and no passphrase was given", missing.Message);

        SshConnectException wrong = Assert.Throws<SshConnectException>(() => ClientKeyStore.Load(path, "wrong"));
        Assert.Equal(ConnectFailure.KeyFile, wrong.Failure);
        Assert.Contains(path, wrong.Message);
        Assert.Contains("passphrase", wrong.Message);
    }

    [Fact]
    public void Load_PassphraseForUnencryptedKey_IsIgnored()
    {
        string path = Tool.KeyGen(_dir.Path, "plain", "ed25519");
        Assert.NotEmpty(ClientKeyStore.Load(path, "not needed").HostKeyAlgorithms);
    }

    [Fact]
    public void Load_RsaKey_OffersOnlySha2Signatures()
    {
        string path = Tool.KeyGen(_dir.Path, "rsa", "rsa", bits: 2048);
        Assert.Equal(["rsa-sha2-512", "rsa-sha2-256"], ClientKeyStore.Load(path, null).HostKeyAlgorithms.Select(a => a.Name));
    }

    [Fact]
    public void Load_MissingOrGarbageFile_NamesTheFile()
    {
        SshConnectException missing = Assert.Throws<SshConnectException>(() => ClientKeyStore.Load(_dir.File("nope"), null));
        Assert.Contains("does not exist", missing.Message);

        File.WriteAllText(_dir.File("garbage"), "this is not a key");
        SshConnectException garbage = Assert.Throws<SshConnectException>(() => ClientKeyStore.Load(_dir.File("garbage"), null));
        Assert.Equal(ConnectFailure.KeyFile, garbage.Failure);
        Assert.Contains(_dir.File("garbage"), garbage.Message);
    }

    [Fact]
    public void Generate_WritesAnOpenSshPairThatSshKeygenAndSshNetRead()
    {
        string path = Path.Combine(_dir.Path, "sub", "id_mcp");
        string publicLine = ClientKeyStore.Generate(path, "me@test");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path + ".pub"));
        Assert.Equal(publicLine + "\n", File.ReadAllText(path + ".pub"));
        Assert.StartsWith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5", publicLine);

        // ssh-keygen -y derives the public key from our private key file: proves the format and the key pair.
        string derived = Tool.Run("ssh-keygen", "-y", "-f", path).Trim();
        Assert.Equal(string.Join(' ', publicLine.Split(' ')[..2]), string.Join(' ', derived.Split(' ')[..2]));
        Assert.Equal(["ssh-ed25519"], ClientKeyStore.Load(path, null).HostKeyAlgorithms.Select(a => a.Name));
        Assert.False(ClientKeyStore.IsReadableByOthers(path));
    }

    [Fact]
    public void IsReadableByOthers_GroupReadableKey_IsFlagged()
    {
        string path = Tool.KeyGen(_dir.Path, "open", "ed25519");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Assert.True(ClientKeyStore.IsReadableByOthers(path));
    }
}
