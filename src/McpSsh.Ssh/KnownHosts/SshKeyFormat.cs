using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace McpSsh.Ssh.KnownHosts;

/// <summary>Helpers for SSH public key blobs: their type, fingerprint and the <c>[host]:port</c> name form.</summary>
public static class SshKeyFormat
{
    /// <summary>The key type is the first string of the blob (for RSA it is <c>ssh-rsa</c> whatever signature was negotiated).</summary>
    public static string KeyTypeOf(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 4)
        {
            return "unknown";
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(blob);
        return length <= (uint)(blob.Length - 4) ? Encoding.ASCII.GetString(blob.Slice(4, (int)length)) : "unknown";
    }

    /// <summary>OpenSSH's <c>SHA256:</c> fingerprint: unpadded base64 of the blob's SHA-256.</summary>
    public static string Sha256Fingerprint(ReadOnlySpan<byte> blob) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');

    /// <summary>How OpenSSH names a host in known_hosts: <c>host</c> on port 22, <c>[host]:port</c> otherwise.</summary>
    public static string HostName(string host, int port) => port == 22 ? host : $"[{host}]:{port}";

    /// <summary>The known_hosts line that trusts <paramref name="blob"/> for <paramref name="hostName"/>.</summary>
    public static string KnownHostsLine(string hostName, ReadOnlySpan<byte> blob) =>
        $"{hostName} {KeyTypeOf(blob)} {Convert.ToBase64String(blob)}";

    /// <summary>The host-key algorithm names that a key type can be negotiated with.</summary>
    public static IReadOnlyList<string> AlgorithmsFor(string keyType) => keyType switch
    {
        "ssh-rsa" => ["rsa-sha2-512", "rsa-sha2-256"],
        _ => [keyType],
    };
}
