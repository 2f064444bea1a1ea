using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using McpSsh.Ssh.Keys;
using McpSsh.Tests.Common;
using McpSsh.Tests.Support;

namespace McpSsh.Tests.Server;

/// <summary>Issue 11 defect 8: a registered key must be a usable key, not just the right number of bytes.</summary>
public class PublicKeyMathTests
{
    private static byte[] Blob(params byte[][] strings)
    {
        var blob = new List<byte>();
        foreach (byte[] s in strings)
        {
            byte[] length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, s.Length);
            blob.AddRange(length);
            blob.AddRange(s);
        }

        return [.. blob];
    }

    private static string Line(string type, params byte[][] rest) => $"{type} {Convert.ToBase64String(Blob([Encoding.ASCII.GetBytes(type), .. rest]))}";

    private static string Refused(string line)
    {
        Assert.False(PublicKeyLine.TryParse(line, out _, out string error), "accepted: " + line);
        return error;
    }

    private static byte[] Unsigned(BigInteger value) => value.ToByteArray(isUnsigned: true, isBigEndian: true);

    /// <summary>An SSH mpint: big-endian, a leading zero when the top bit is set.</summary>
    private static byte[] Mpint(BigInteger value) => value.ToByteArray(isUnsigned: false, isBigEndian: true);

    [Theory]
    [InlineData(256)]
    [InlineData(384)]
    [InlineData(521)]
    public void EcdsaPoint_OffTheCurve_IsRefused(int bits)
    {
        using var dir = new TempDirectory();
        string line = File.ReadAllText(Tool.KeyGen(dir.Path, "k", "ecdsa", bits: bits) + ".pub").Trim();
        Assert.True(PublicKeyLine.TryParse(line, out PublicKeyLine? key, out string error), error);

        // Same curve name and length, the last byte of Y changed: no longer a point of the curve.
        byte[] blob = key!.Blob.ToArray();
        blob[^1] ^= 0x01;
        Assert.Contains("not on the curve", Refused($"{key.KeyType} {Convert.ToBase64String(blob)}"));
    }

    [Fact]
    public void EcdsaPoint_AllZero_IsRefused()
    {
        byte[] point = new byte[65];
        point[0] = 4;
        Assert.Contains("not on the curve", Refused(Line("ecdsa-sha2-nistp256", "nistp256"u8.ToArray(), point)));
    }

    public static TheoryData<string, string> BadRsa()
    {
        BigInteger odd2048 = (BigInteger.One << 2047) + 12345; // odd, 2048 bits
        BigInteger odd8200 = (BigInteger.One << 8199) + 1;
        return new()
        {
            { Line("ssh-rsa", Mpint(65536), Mpint(odd2048)), "exponent" },
            { Line("ssh-rsa", Mpint(1), Mpint(odd2048)), "exponent" },
            { Line("ssh-rsa", Mpint(0), Mpint(odd2048)), "exponent" },
            { Line("ssh-rsa", Mpint(65537), Mpint(odd2048 + 1)), "modulus" },
            { Line("ssh-rsa", Mpint(65537), Mpint(odd8200)), "at most 8192 bits" },
        };
    }

    [Theory]
    [MemberData(nameof(BadRsa))]
    public void Rsa_WithAnUnusableExponentOrModulus_IsRefused(string line, string expected)
    {
        Assert.Contains(expected, Refused(line));
    }

    [Fact]
    public void Rsa_At8192Bits_IsAccepted()
    {
        BigInteger n = (BigInteger.One << 8191) + 1;
        Assert.True(PublicKeyLine.TryParse(Line("ssh-rsa", Mpint(65537), Mpint(n)), out PublicKeyLine? key, out string error), error);
        Assert.Equal(8192, key!.Bits);
    }

    [Fact]
    public void Ed25519_AllZeroOrIdentity_IsRefused()
    {
        Assert.Contains("not a usable ssh-ed25519 key", Refused(Line("ssh-ed25519", new byte[32])));
        byte[] identity = new byte[32];
        identity[0] = 1;
        Assert.Contains("not a usable ssh-ed25519 key", Refused(Line("ssh-ed25519", identity)));
    }

    [Fact]
    public void UnsignedHelper_IsWhatTheTestsThinkItIs()
    {
        Assert.Equal([0x01, 0x00, 0x01], Unsigned(65537));
        Assert.Equal([0x00, 0x80], Mpint(128));
    }
}
