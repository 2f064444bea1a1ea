using McpSsh.Ssh.Keys;
using Microsoft.Extensions.Logging;

namespace McpSsh.Server.Sshd;

/// <summary>
/// The key sshd proves its identity with (--server-key). Missing: an Ed25519 pair is generated there, as the
/// Python server does. Encrypted: sshd cannot ask for a passphrase, so a decrypted copy is made in the state
/// directory (0600) with ssh-keygen, and removed again when serve stops (<see cref="Dispose"/>). The public
/// key served to clients is always derived from the private key, never read from a .pub file that may be stale.
/// </summary>
public sealed class ServerHostKey : IDisposable
{
    private ServerHostKey(string path, string publicKeyLine, bool isDecryptedCopy)
    {
        Path = path;
        PublicKeyLine = publicKeyLine;
        IsDecryptedCopy = isDecryptedCopy;
    }

    /// <summary>The private key file sshd loads.</summary>
    public string Path { get; }

    /// <summary>"TYPE BASE64 [comment]", from the private key itself.</summary>
    public string PublicKeyLine { get; }

    /// <summary>True when <see cref="Path"/> is serve's decrypted copy (removed by <see cref="Dispose"/>).</summary>
    public bool IsDecryptedCopy { get; }

    public static ServerHostKey Prepare(string serverKeyPath, string? passphrase, string stateDir, string keygen, ILogger logger)
    {
        var ssh = new SshKeygen(keygen, stateDir);
        string decrypted = System.IO.Path.Combine(stateDir, "host_key");
        RemoveStale(decrypted); // a copy left by a serve that was killed, and the .pub an older version wrote beside it
        if (!File.Exists(serverKeyPath))
        {
            string publicLine = ClientKeyStore.Generate(serverKeyPath, $"mcp-ssh-server@{Environment.MachineName}");
            logger.LogInformation("Generated the server's Ed25519 host key at {Path}; clients trust it with: {PublicKey}", serverKeyPath, publicLine);
            return new ServerHostKey(System.IO.Path.GetFullPath(serverKeyPath), publicLine, isDecryptedCopy: false);
        }

        byte[] content;
        try
        {
            content = File.ReadAllBytes(serverKeyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ServeException($"cannot read --server-key {serverKeyPath}: {ex.Message}");
        }

        if (!KeyFileFormat.IsEncrypted(content))
        {
            return new ServerHostKey(System.IO.Path.GetFullPath(serverKeyPath), ssh.PublicKeyOf(serverKeyPath), isDecryptedCopy: false);
        }

        if (string.IsNullOrEmpty(passphrase))
        {
            throw new ServeException($"--server-key {serverKeyPath} is encrypted: give its passphrase with --passphrase-file FILE (or MCP_SSH_PASSPHRASE, or --passphrase)");
        }

        AtomicFile.Write(decrypted, content, AtomicFile.PrivateMode);
        try
        {
            ssh.Decrypt(serverKeyPath, decrypted, passphrase);
            var key = new ServerHostKey(decrypted, ssh.PublicKeyOf(decrypted), isDecryptedCopy: true);
            logger.LogInformation("Decrypted --server-key {Path} into {Copy} (0600) for sshd; it is removed when serve stops", serverKeyPath, decrypted);
            return key;
        }
        catch
        {
            File.Delete(decrypted);
            throw;
        }
    }

    /// <summary>Removes the decrypted copy, if serve made one.</summary>
    public void Dispose()
    {
        if (IsDecryptedCopy)
        {
            RemoveStale(Path);
        }
    }

    private static void RemoveStale(string decrypted)
    {
        File.Delete(decrypted);
        File.Delete(decrypted + ".pub");
    }
}
