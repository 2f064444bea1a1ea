using McpSsh.Ssh.Agent;
using McpSsh.Ssh.Keys;
using McpSsh.Ssh.KnownHosts;
using Microsoft.Extensions.Logging;
using Renci.SshNet;

namespace McpSsh.Ssh;

/// <summary>
/// The keys offered to the server, in OpenSSH's order (sshconnect2.c pubkey_prepare): the agent's keys, each in
/// place of the key file it matches; unless IdentitiesOnly, the agent's other keys after them; then the key files
/// the agent does not hold. A key file the agent holds needs no passphrase.
/// </summary>
internal static class ClientIdentities
{
    public static IReadOnlyList<IPrivateKeySource> Load(SshConnectOptions options, ILogger logger, out string description)
    {
        IReadOnlyList<AgentIdentity> agentKeys = [];
        var used = new List<string>();
        SshAgentClient? agent = null;
        if (options.AgentPath is { } path)
        {
            agent = new SshAgentClient(path, options.ConnectTimeout);
            try
            {
                agentKeys = agent.ListIdentities();
                if (agentKeys.Count == 0)
                {
                    // A locked agent lists no keys; say so where an authentication failure will name the keys tried.
                    used.Add($"no key from the ssh-agent at {path} (it is empty or locked: ssh-add -l shows which, ssh-add -X unlocks)");
                }
            }
            catch (SshAgentException ex)
            {
                // As ssh: an agent that cannot be reached is reported, and the key files are still tried.
                logger.LogWarning("{Reason}", ex.Message);
            }
        }

        var files = options.Keys.Select(f => (Path: f, Blob: PublicBlobOf(f))).ToList();
        // CertificateFile entries, and KEY-cert.pub beside each key file (ssh loads those too), paired by certified key.
        List<byte[]> certificates = [.. options.CertificateFiles.Concat(options.Keys.Select(k => k + "-cert.pub"))
            .Select(CertificateBlob.Read).OfType<byte[]>()];
        byte[]? CertificateFor(byte[]? key) => key is null ? null
            : certificates.FirstOrDefault(c => CertificateBlob.TryGetCertifiedKey(c, out byte[] certified) && certified.AsSpan().SequenceEqual(key));

        var sources = new List<IPrivateKeySource>();
        foreach (AgentIdentity key in agentKeys)
        {
            int file = files.FindIndex(f => f.Blob is not null && f.Blob.AsSpan().SequenceEqual(key.Blob));
            if (file >= 0 || !options.IdentitiesOnly)
            {
                byte[]? certificate = CertificateFor(key.Blob);
                sources.Add(new AgentKeySource(key, agent!, certificate));
                used.Add($"agent {key.KeyType} {key.Fingerprint} ({key.Comment}){(certificate is null ? "" : " with its certificate")}");
            }

            if (file >= 0)
            {
                files.RemoveAt(file);
            }
        }

        foreach ((string file, byte[]? blob) in files)
        {
            if (!File.Exists(file) && options.IdentityFilesOptional)
            {
                logger.LogDebug("Skipping identity file {File}: it does not exist", file);
                continue;
            }

            try
            {
                byte[]? certificate = CertificateFor(blob);
                sources.Add(ClientKeyStore.Load(file, options.Passphrase, certificate));
                used.Add(certificate is null ? file : $"{file} with its certificate");
            }
            catch (SshConnectException ex) when (options.IdentityFilesOptional)
            {
                logger.LogWarning("Skipping identity file {File}: {Reason}", file, ex.Message);
            }
        }

        if (sources.Count == 0)
        {
            string agentNote = options.AgentPath is null ? "no ssh-agent" : $"the ssh-agent at {options.AgentPath} offered no usable key";
            throw new SshConnectException(ConnectFailure.KeyFile,
                $"no key to authenticate with to {options.Endpoint}: {agentNote}, and none of {string.Join(", ", options.Keys)} could be loaded. Give a key with --client-key or IdentityFile, or add one to the agent with ssh-add");
        }

        description = string.Join(", ", used);
        return sources;
    }

    /// <summary>The public key blob of a key file, from its <c>.pub</c> beside it (what ssh matches agent keys against).</summary>
    private static byte[]? PublicBlobOf(string privateKeyPath)
    {
        try
        {
            string pub = privateKeyPath + ".pub";
            return File.Exists(pub) && PublicKeyLine.TryParse(File.ReadAllText(pub).Trim(), out PublicKeyLine? line, out _) ? line!.Blob : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
