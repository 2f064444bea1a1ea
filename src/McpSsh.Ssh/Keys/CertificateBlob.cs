using System.Buffers.Binary;
using System.Text;

namespace McpSsh.Ssh.Keys;

/// <summary>
/// The certified key inside an OpenSSH certificate blob (PROTOCOL.certkeys): the type, a nonce, then the key's own
/// fields. Used to pair a CertificateFile with the key file or agent key it certifies, as ssh does.
/// </summary>
public static class CertificateBlob
{
    private const string Suffix = "-cert-v01@openssh.com";

    /// <summary>The plain public key blob the certificate certifies; false when the blob is not a certificate we know.</summary>
    public static bool TryGetCertifiedKey(byte[] certificate, out byte[] keyBlob)
    {
        keyBlob = [];
        var fields = new List<ReadOnlyMemory<byte>>();
        int offset = 0;
        if (!TryField(certificate, ref offset, out ReadOnlyMemory<byte> typeField) || !TryField(certificate, ref offset, out _))
        {
            return false;
        }

        string type = Encoding.ASCII.GetString(typeField.Span[4..]);
        if (!type.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        string plain = type[..^Suffix.Length];
        int count = plain switch
        {
            "ssh-ed25519" => 1,
            "ssh-rsa" => 2,
            "sk-ssh-ed25519" => 2,
            "sk-ecdsa-sha2-nistp256" => 3,
            _ when plain.StartsWith("ecdsa-sha2-", StringComparison.Ordinal) => 2,
            _ => -1,
        };
        if (count < 0)
        {
            return false;
        }

        for (int i = 0; i < count; i++)
        {
            if (!TryField(certificate, ref offset, out ReadOnlyMemory<byte> field))
            {
                return false;
            }

            fields.Add(field);
        }

        var blob = new SshWireWriter();
        blob.String(plain.StartsWith("sk-", StringComparison.Ordinal) ? plain + "@openssh.com" : plain);
        foreach (ReadOnlyMemory<byte> field in fields)
        {
            blob.Raw(field.Span);
        }

        keyBlob = blob.ToArray();
        return true;
    }

    /// <summary>The certificate blob of a <c>*-cert.pub</c> file; null when it is missing or not a certificate line.</summary>
    public static byte[]? Read(string path)
    {
        try
        {
            string[] parts = File.ReadAllText(path).Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length >= 2 && parts[0].EndsWith(Suffix, StringComparison.Ordinal) ? Convert.FromBase64String(parts[1]) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>One length-prefixed field, prefix included (the fields are copied into the plain blob as they are).</summary>
    private static bool TryField(byte[] data, ref int offset, out ReadOnlyMemory<byte> field)
    {
        field = default;
        if (data.Length - offset < 4)
        {
            return false;
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset));
        if (length > (uint)(data.Length - offset - 4))
        {
            return false;
        }

        field = data.AsMemory(offset, 4 + (int)length);
        offset += 4 + (int)length;
        return true;
    }
}
