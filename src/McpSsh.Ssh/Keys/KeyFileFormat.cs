using System.Buffers.Binary;
using System.Text;

namespace McpSsh.Ssh.Keys;

/// <summary>Tells whether a private key file is encrypted, without decrypting it (to word errors precisely).</summary>
public static class KeyFileFormat
{
    private const string OpenSshBegin = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private const string OpenSshEnd = "-----END OPENSSH PRIVATE KEY-----";

    public static bool IsEncrypted(byte[] content)
    {
        string text = Encoding.ASCII.GetString(content);
        if (text.Contains("BEGIN ENCRYPTED PRIVATE KEY", StringComparison.Ordinal) || text.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            return true;
        }

        int begin = text.IndexOf(OpenSshBegin, StringComparison.Ordinal);
        int end = text.IndexOf(OpenSshEnd, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            return false;
        }

        try
        {
            // openssh-key-v1\0, then string ciphername: anything but "none" is encrypted.
            byte[] blob = Convert.FromBase64String(text[(begin + OpenSshBegin.Length)..end].Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal));
            ReadOnlySpan<byte> magic = "openssh-key-v1\0"u8;
            if (blob.Length < magic.Length + 4 || !blob.AsSpan().StartsWith(magic))
            {
                return false;
            }

            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(magic.Length));
            return length > 0 && blob.Length >= magic.Length + 4 + length
                && !blob.AsSpan(magic.Length + 4, length).SequenceEqual("none"u8);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
