using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using McpSsh.Ssh.Agent;
using McpSsh.Tests.Common;
using McpSsh.Tests.Support;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace McpSsh.Tests.Agent;

/// <summary>The agent protocol against the real OpenSSH ssh-agent; signatures are checked with the public keys.</summary>
public class SshAgentClientTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private static readonly byte[] s_data = "session id and userauth request"u8.ToArray();

    [Fact]
    public void ListIdentities_ReturnsEveryAddedKeyWithItsBlobAndComment()
    {
        using var dir = new TempDirectory();
        using SshAgentProcess agent = SshAgentProcess.Start();
        string ed25519 = Tool.KeyGen(dir.Path, "agent-ed25519", "ed25519");
        string rsa = Tool.KeyGen(dir.Path, "agent-rsa", "rsa", bits: 2048);
        agent.Add(ed25519);
        agent.Add(rsa);

        IReadOnlyList<AgentIdentity> keys = new SshAgentClient(agent.SocketPath, s_timeout).ListIdentities();

        Assert.Equal(["agent-ed25519", "agent-rsa"], keys.Select(k => k.Comment));
        Assert.Equal(PublicBlob(ed25519), keys[0].Blob);
        Assert.Equal("ssh-ed25519", keys[0].KeyType);
        Assert.Equal(PublicBlob(rsa), keys[1].Blob);
    }

    [Theory]
    [InlineData("ed25519", AgentSignFlags.None, "ssh-ed25519")]
    [InlineData("rsa", AgentSignFlags.RsaSha2_512, "rsa-sha2-512")]
    [InlineData("rsa", AgentSignFlags.RsaSha2_256, "rsa-sha2-256")]
    [InlineData("ecdsa", AgentSignFlags.None, "ecdsa-sha2-nistp256")]
    public void Sign_ReturnsASignatureThePublicKeyVerifies(string type, AgentSignFlags flags, string algorithm)
    {
        using var dir = new TempDirectory();
        using SshAgentProcess agent = SshAgentProcess.Start();
        string key = Tool.KeyGen(dir.Path, "k", type, bits: type == "rsa" ? 2048 : null);
        agent.Add(key);
        byte[] blob = PublicBlob(key);

        byte[] signature = new SshAgentClient(agent.SocketPath, s_timeout).Sign(blob, s_data, flags);

        var parts = new WireReader(signature);
        Assert.Equal(algorithm, System.Text.Encoding.ASCII.GetString(parts.Next()));
        Assert.True(Verify(blob, algorithm, parts.Next(), s_data), $"the {algorithm} signature does not verify");
        Assert.False(Verify(blob, algorithm, parts.Reset().Skip().Next(), [.. s_data, 0]), "a signature verified over other data");
    }

    [Fact]
    public void Sign_LockedAgent_IsOneClearError()
    {
        using var dir = new TempDirectory();
        using SshAgentProcess agent = SshAgentProcess.Start();
        string key = Tool.KeyGen(dir.Path, "k", "ed25519");
        agent.Add(key);
        agent.Lock("lock-password");

        var ex = Assert.Throws<SshAgentException>(() => new SshAgentClient(agent.SocketPath, s_timeout).Sign(PublicBlob(key), s_data, AgentSignFlags.None));

        Assert.Contains("refused to sign", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ssh-add -X", ex.Message, StringComparison.Ordinal);
        Assert.Empty(new SshAgentClient(agent.SocketPath, s_timeout).ListIdentities());
    }

    [Fact]
    public void Sign_KeyTheAgentDoesNotHold_IsRefused()
    {
        using var dir = new TempDirectory();
        using SshAgentProcess agent = SshAgentProcess.Start();
        string other = Tool.KeyGen(dir.Path, "other", "ed25519");

        Assert.Throws<SshAgentException>(() => new SshAgentClient(agent.SocketPath, s_timeout).Sign(PublicBlob(other), s_data, AgentSignFlags.None));
    }

    [Fact]
    public void ListIdentities_NoAgentAtThePath_SaysHowToStartOne()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<SshAgentException>(() => new SshAgentClient(dir.File("absent.sock"), s_timeout).ListIdentities());
        Assert.Contains($"cannot reach the ssh-agent at {dir.File("absent.sock")}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SSH_AUTH_SOCK", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListIdentities_PeerClaimingAHugeMessage_IsRefusedWithoutAllocatingIt()
    {
        using var dir = new TempDirectory();
        string path = dir.File("fake.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        Task serve = Task.Run(async () =>
        {
            using Socket peer = await listener.AcceptAsync();
            var request = new byte[5];
            await peer.ReceiveAsync(request);
            var header = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(header, 0x7fff_ffff);
            await peer.SendAsync(header);
        });

        var ex = Assert.Throws<SshAgentException>(() => new SshAgentClient(path, s_timeout).ListIdentities());

        Assert.Contains("answered a 2147483647-byte message", ex.Message, StringComparison.Ordinal);
        await serve.WaitAsync(s_timeout);
    }

    private static byte[] PublicBlob(string privateKeyPath) =>
        Convert.FromBase64String(File.ReadAllText(privateKeyPath + ".pub").Split(' ')[1]);

    private static bool Verify(byte[] blob, string algorithm, byte[] signature, byte[] data)
    {
        var key = new WireReader(blob);
        key.Next();
        switch (algorithm)
        {
            case "ssh-ed25519":
                var ed = new Ed25519Signer();
                ed.Init(false, new Ed25519PublicKeyParameters(key.Next()));
                ed.BlockUpdate(data, 0, data.Length);
                return ed.VerifySignature(signature);
            case "rsa-sha2-512":
            case "rsa-sha2-256":
                byte[] e = key.Next(), n = key.Next();
                using (var rsa = RSA.Create(new RSAParameters { Exponent = e.SkipWhile(b => b == 0).ToArray(), Modulus = n.SkipWhile(b => b == 0).ToArray() }))
                {
                    return rsa.VerifyData(data, signature, algorithm.EndsWith("512", StringComparison.Ordinal) ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                }

            default:
                key.Next();
                byte[] point = key.Next();
                var rs = new WireReader(signature);
                byte[] r = Fixed(rs.Next(), 32), s = Fixed(rs.Next(), 32);
                using (var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..65] } }))
                {
                    byte[] p1363 = [.. r, .. s];
                    return ecdsa.VerifyData(data, p1363, HashAlgorithmName.SHA256);
                }
        }
    }

    /// <summary>An SSH mpint as a fixed-width unsigned big-endian number.</summary>
    private static byte[] Fixed(byte[] mpint, int width)
    {
        byte[] trimmed = mpint.SkipWhile(b => b == 0).ToArray();
        return [.. new byte[width - trimmed.Length], .. trimmed];
    }

    private sealed class WireReader(byte[] data)
    {
        private int _offset;

        public byte[] Next()
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(_offset));
            byte[] value = data.AsSpan(_offset + 4, length).ToArray();
            _offset += 4 + length;
            return value;
        }

        public WireReader Reset()
        {
            _offset = 0;
            return this;
        }

        public WireReader Skip()
        {
            Next();
            return this;
        }
    }
}
