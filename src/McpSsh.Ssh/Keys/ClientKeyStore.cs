using Renci.SshNet;
using Renci.SshNet.Security;

namespace McpSsh.Ssh.Keys;

/// <summary>
/// Loads the client's private key (OpenSSH, PEM, PKCS#8; encrypted or not) and creates a missing default one.
/// Every failure becomes a <see cref="SshConnectException"/> of kind <see cref="ConnectFailure.KeyFile"/>
/// that names the file and the fix.
/// </summary>
public static class ClientKeyStore
{
    /// <summary>
    /// Generates an Ed25519 pair at <paramref name="privateKeyPath"/> (0600) and <c>.pub</c> (0644).
    /// Returns the public key line to install on the server.
    /// </summary>
    public static string Generate(string privateKeyPath, string comment)
    {
        GeneratedKeyPair pair = OpenSshKeyWriter.GenerateEd25519(comment);
        AtomicFile.Write(privateKeyPath, System.Text.Encoding.ASCII.GetBytes(pair.PrivateKeyPem), AtomicFile.PrivateMode);
        AtomicFile.Write(privateKeyPath + ".pub", System.Text.Encoding.ASCII.GetBytes(pair.PublicKeyLine + "\n"), AtomicFile.PublicMode);
        return pair.PublicKeyLine;
    }

    /// <summary>True when group or others may read the private key (OpenSSH refuses such keys; we warn).</summary>
    public static bool IsReadableByOthers(string path) =>
        !OperatingSystem.IsWindows()
        && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;

    /// <summary>
    /// Loads the key, with <paramref name="certificate"/> (an OpenSSH user certificate blob) when given: the
    /// certificate's algorithms are then offered first, the plain key's after. A passphrase given for an
    /// unencrypted key is ignored.
    /// </summary>
    public static IPrivateKeySource Load(string path, string? passphrase, byte[]? certificate = null)
    {
        if (!File.Exists(path))
        {
            throw new SshConnectException(ConnectFailure.KeyFile,
                $"private key {path} does not exist. Give the right path with --client-key, or leave --client-key at its default to have a key generated");
        }

        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SshConnectException(ConnectFailure.KeyFile, $"cannot read private key {path}: {ex.Message}", ex);
        }

        bool encrypted = KeyFileFormat.IsEncrypted(content);
        if (encrypted && string.IsNullOrEmpty(passphrase))
        {
            throw new SshConnectException(ConnectFailure.KeyFile,
                $"private key {path} is encrypted and no passphrase was given. Give it with --passphrase-file FILE or the MCP_SSH_PASSPHRASE environment variable");
        }

        try
        {
            // A passphrase given for an unencrypted key is ignored, as OpenSSH does.
            var key = certificate is null
                ? new PrivateKeyFile(new MemoryStream(content), encrypted ? passphrase : null)
                : new PrivateKeyFile(new MemoryStream(content), encrypted ? passphrase : null, new MemoryStream(CertificateLine(certificate)));
            return new RsaSha2OnlyKeySource(key);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A wrong passphrase decrypts to garbage, which SSH.NET and BouncyCastle notice in many different ways.
            throw encrypted
                ? new SshConnectException(ConnectFailure.KeyFile,
                    $"wrong passphrase for private key {path}. Check --passphrase-file / MCP_SSH_PASSPHRASE (test it with: ssh-keygen -y -f {path})", ex)
                : new SshConnectException(ConnectFailure.KeyFile,
                    $"cannot use private key {path}: {ex.Message}. Supported: ed25519, ecdsa and rsa keys in OpenSSH, PEM or PKCS#8 format", ex);
        }
    }

    /// <summary>
    /// RSA keys would offer SHA-1 <c>ssh-rsa</c> signatures first, which OpenSSH 8.8+ rejects at the cost of one
    /// MaxAuthTries attempt; offer only rsa-sha2-512/256.
    /// </summary>
    private sealed class RsaSha2OnlyKeySource(PrivateKeyFile inner) : IPrivateKeySource
    {
        public IReadOnlyCollection<HostAlgorithm> HostKeyAlgorithms { get; } =
            inner.HostKeyAlgorithms.Where(a => a.Name is not ("ssh-rsa" or "ssh-rsa-cert-v01@openssh.com")).ToList();
    }

    /// <summary>SSH.NET reads a certificate as the <c>*-cert.pub</c> line: type, base64, comment.</summary>
    private static byte[] CertificateLine(byte[] certificate) =>
        System.Text.Encoding.ASCII.GetBytes($"{KnownHosts.SshKeyFormat.KeyTypeOf(certificate)} {Convert.ToBase64String(certificate)}\n");
}
