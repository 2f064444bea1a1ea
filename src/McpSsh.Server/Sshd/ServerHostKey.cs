using System.Diagnostics;
using McpSsh.Ssh.Keys;
using Microsoft.Extensions.Logging;

namespace McpSsh.Server.Sshd;

/// <summary>
/// The key sshd proves its identity with (--server-key). Missing: an Ed25519 pair is generated there, as the
/// Python server does. Encrypted: sshd cannot ask for a passphrase, so a decrypted copy is made in the state
/// directory (0600) with ssh-keygen, the passphrase going through its stdin, never its command line.
/// </summary>
public static class ServerHostKey
{
    /// <returns>The private key file sshd should load.</returns>
    public static string Prepare(string serverKeyPath, string? passphrase, string stateDir, string keygen, ILogger logger)
    {
        if (!File.Exists(serverKeyPath))
        {
            string publicLine = ClientKeyStore.Generate(serverKeyPath, $"mcp-ssh-server@{Environment.MachineName}");
            logger.LogInformation("Generated the server's Ed25519 host key at {Path}; clients trust it with: {PublicKey}", serverKeyPath, publicLine);
            return Path.GetFullPath(serverKeyPath);
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
            EnsurePublicKey(serverKeyPath, keygen);
            return Path.GetFullPath(serverKeyPath);
        }

        if (string.IsNullOrEmpty(passphrase))
        {
            throw new ServeException($"--server-key {serverKeyPath} is encrypted: give its passphrase with --passphrase-file FILE (or MCP_SSH_PASSPHRASE, or --passphrase)");
        }

        string decrypted = Path.Combine(stateDir, "host_key");
        AtomicFile.Write(decrypted, content, AtomicFile.PrivateMode);
        (int status, string output) = RunKeygen(keygen, ["-p", "-N", "", "-f", decrypted], passphrase + "\n");
        if (status != 0)
        {
            File.Delete(decrypted);
            throw new ServeException(output.Contains("incorrect passphrase", StringComparison.OrdinalIgnoreCase)
                ? $"wrong passphrase for --server-key {serverKeyPath}"
                : $"could not decrypt --server-key {serverKeyPath} with ssh-keygen: {output.Trim()}");
        }

        logger.LogInformation("Decrypted --server-key {Path} into {Copy} (0600) for sshd", serverKeyPath, decrypted);
        EnsurePublicKey(decrypted, keygen);
        return decrypted;
    }

    /// <summary>The one-line public key of a private key file, from its .pub (written with ssh-keygen -y when missing).</summary>
    public static string PublicKeyLine(string privateKeyPath) => File.ReadAllText(privateKeyPath + ".pub").Trim();

    private static void EnsurePublicKey(string privateKeyPath, string keygen)
    {
        if (File.Exists(privateKeyPath + ".pub"))
        {
            return;
        }

        (int status, string output) = RunKeygen(keygen, ["-y", "-f", privateKeyPath], null);
        if (status != 0)
        {
            throw new ServeException($"cannot derive the public key of {privateKeyPath}: {output.Trim()}");
        }

        AtomicFile.Write(privateKeyPath + ".pub", System.Text.Encoding.ASCII.GetBytes(output.Trim() + "\n"), AtomicFile.PublicMode);
    }

    private static (int Status, string Output) RunKeygen(string keygen, string[] args, string? stdin)
    {
        var start = new ProcessStartInfo(keygen) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The passphrase comes from stdin only: no askpass program, no terminal prompt.
        foreach (string variable in new[] { "DISPLAY", "SSH_ASKPASS", "SSH_ASKPASS_REQUIRE" })
        {
            start.Environment.Remove(variable);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
