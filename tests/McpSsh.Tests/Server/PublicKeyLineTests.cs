using McpSsh.Ssh.Keys;
using McpSsh.Tests.Common;
using McpSsh.Tests.Support;

namespace McpSsh.Tests.Server;

public class PublicKeyLineTests
{
    private static string KeyGen(TempDirectory dir, string type, int? bits = null) =>
        File.ReadAllText(Tool.KeyGen(dir.Path, $"k-{type}-{bits}", type, bits: bits) + ".pub").Trim();

    [Theory]
    [InlineData("ed25519", null, "ssh-ed25519", 256)]
    [InlineData("ecdsa", 256, "ecdsa-sha2-nistp256", 256)]
    [InlineData("ecdsa", 384, "ecdsa-sha2-nistp384", 384)]
    [InlineData("ecdsa", 521, "ecdsa-sha2-nistp521", 521)]
    [InlineData("rsa", 2048, "ssh-rsa", 2048)]
    public void KeysFromSshKeygen_AreAccepted(string type, int? bits, string expectedType, int expectedBits)
    {
        using var dir = new TempDirectory();
        string line = KeyGen(dir, type, bits);
        Assert.True(PublicKeyLine.TryParse(line, out PublicKeyLine? key, out string error), error);
        Assert.Equal(expectedType, key!.KeyType);
        Assert.Equal(expectedBits, key.Bits);
        Assert.Equal(string.Join(' ', line.Split(' ')[..2]), key.TypeAndKey);
    }

    [Fact]
    public void SmallRsa_IsRefusedWithItsSize()
    {
        using var dir = new TempDirectory();
        Assert.False(PublicKeyLine.TryParse(KeyGen(dir, "rsa", 1024), out _, out string error));
        Assert.Contains("at least 2048 bits (this one has 1024)", error);
    }

    public static TheoryData<int, string> Ed25519Lengths => new() { { 31, "malformed ssh-ed25519" }, { 33, "malformed ssh-ed25519" } };

    [Theory]
    [MemberData(nameof(Ed25519Lengths))]
    public void Ed25519_OfTheWrongLength_IsRefused(int length, string expected)
    {
        byte[] type = "ssh-ed25519"u8.ToArray();
        byte[] blob = new byte[4 + type.Length + 4 + length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(blob, type.Length);
        type.CopyTo(blob, 4);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(4 + type.Length), length);
        Assert.False(PublicKeyLine.TryParse("ssh-ed25519 " + Convert.ToBase64String(blob), out _, out string error));
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("ssh-ed25519", "expected \"TYPE BASE64 [comment]\"")]
    [InlineData("ssh-ed25519 !!!notbase64", "not base64")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDN+1CPp2zNsA5D7DOeixB8ytkqbyD+dtL+0HVGUupdL\nssh-ed25519 AAAA", "one line")]
    [InlineData("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIDN+1CPp2zNsA5D7DOeixB8ytkqbyD+dtL+0HVGUupdL", "not a ssh-rsa key")] // an ed25519 blob
    [InlineData("ssh-dss AAAAB3NzaC1kc3M=", "not accepted")]
    [InlineData("command=\"sh\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDN+1CPp2zNsA5D7DOeixB8ytkqbyD+dtL+0HVGUupdL", "not base64")] // options are not part of a key
    public void Garbage_IsRefusedWithAReason(string text, string expected)
    {
        Assert.False(PublicKeyLine.TryParse(text, out _, out string error));
        Assert.Contains(expected, error);
    }
}
