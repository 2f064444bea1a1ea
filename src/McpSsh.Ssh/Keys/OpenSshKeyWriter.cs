using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace McpSsh.Ssh.Keys;

/// <summary>A generated key pair in the files' own formats.</summary>
public sealed record GeneratedKeyPair(string PrivateKeyPem, string PublicKeyLine);

/// <summary>
/// Generates Ed25519 key pairs and writes them in OpenSSH's own formats: the unencrypted
/// <c>openssh-key-v1</c> private key (what <c>ssh-keygen -t ed25519 -N ""</c> writes) and the one-line public key.
/// SSH.NET can read keys but not write them; BouncyCastle does the curve maths.
/// </summary>
public static class OpenSshKeyWriter
{
    private const string KeyType = "ssh-ed25519";

    public static GeneratedKeyPair GenerateEd25519(string comment)
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        byte[] publicKey = ((Ed25519PublicKeyParameters)pair.Public).GetEncoded();
        byte[] privateSeed = ((Ed25519PrivateKeyParameters)pair.Private).GetEncoded();
        try
        {
            return new GeneratedKeyPair(PrivateKeyPem(publicKey, privateSeed, comment), PublicKeyLine(publicKey, comment));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateSeed);
        }
    }

    public static string PublicKeyLine(byte[] publicKey, string comment) =>
        $"{KeyType} {Convert.ToBase64String(PublicBlob(publicKey))} {comment}".TrimEnd();

    private static byte[] PublicBlob(byte[] publicKey)
    {
        var blob = new SshWireWriter();
        blob.String(KeyType);
        blob.String(publicKey);
        return blob.ToArray();
    }

    private static string PrivateKeyPem(byte[] publicKey, byte[] privateSeed, string comment)
    {
        // The private section: two equal check ints, the key, the comment, then padding 1,2,3... to a multiple of 8.
        var section = new SshWireWriter();
        uint check = BinaryPrimitives.ReadUInt32BigEndian(RandomNumberGenerator.GetBytes(4));
        section.UInt32(check);
        section.UInt32(check);
        section.String(KeyType);
        section.String(publicKey);
        byte[] secret = [.. privateSeed, .. publicKey];
        section.String(secret);
        CryptographicOperations.ZeroMemory(secret);
        section.String(comment);
        for (byte pad = 1; section.Length % 8 != 0; pad++)
        {
            section.Byte(pad);
        }

        var file = new SshWireWriter();
        file.Raw("openssh-key-v1\0"u8);
        file.String("none");
        file.String("none");
        file.String([]);
        file.UInt32(1);
        file.String(PublicBlob(publicKey));
        byte[] sectionBytes = section.ToArray();
        file.String(sectionBytes);
        CryptographicOperations.ZeroMemory(sectionBytes);

        string base64 = Convert.ToBase64String(file.ToArray());
        var pem = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        for (int i = 0; i < base64.Length; i += 70)
        {
            pem.Append(base64, i, Math.Min(70, base64.Length - i)).Append('\n');
        }

        return pem.Append("-----END OPENSSH PRIVATE KEY-----\n").ToString();
    }
}
