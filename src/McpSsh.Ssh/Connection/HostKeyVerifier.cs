using McpSsh.Ssh.KnownHosts;
using Microsoft.Extensions.Logging;
using Renci.SshNet.Common;

namespace McpSsh.Ssh;

/// <summary>
/// Decides in SSH.NET's <c>HostKeyReceived</c> event whether to trust the server (SSH.NET trusts every key
/// unless told otherwise). The first key is pinned: a rekey must present the same one. The reason for a
/// refusal is kept so the connect error can explain it, since SSH.NET only says "could not be verified".
/// </summary>
internal sealed class HostKeyVerifier(SshConnectOptions options, KnownHostsFile knownHosts, ILogger logger)
{
    private readonly string _hostName = options.KnownHostsName;
    private byte[]? _pinned;

    /// <summary>Why the key was refused; null while every key has been trusted.</summary>
    public string? Refusal { get; private set; }

    public void OnHostKeyReceived(object? sender, HostKeyEventArgs e)
    {
        byte[] blob = e.HostKey;
        if (_pinned is not null)
        {
            e.CanTrust = _pinned.AsSpan().SequenceEqual(blob);
            Refusal = e.CanTrust ? Refusal : $"{_hostName} presented a different host key during re-keying ({SshKeyFormat.Sha256Fingerprint(blob)}); the connection was closed";
            return;
        }

        e.CanTrust = e.Certificate is { } certificate && options.HostKeyPolicy != HostKeyPolicy.Disabled
            ? DecideCertificate(certificate, blob)
            : Decide(blob);
        if (e.CanTrust)
        {
            _pinned = blob;
        }
    }

    /// <summary>Certificate host keys are only negotiated when an @cert-authority line covers the host (AlgorithmPreferences).</summary>
    private bool DecideCertificate(Renci.SshNet.Security.Certificate certificate, byte[] blob)
    {
        // OpenSSH checks principals against the host name without the port (or the HostKeyAlias).
        string principal = options.HostKeyAlias ?? options.Host;
        Refusal = HostCertificateCheck.Refusal(certificate, blob, _hostName, principal, knownHosts, DateTimeOffset.UtcNow);
        if (Refusal is null)
        {
            logger.LogHostKeyKnown(_hostName, "certificate " + SshKeyFormat.KeyTypeOf(blob), SshKeyFormat.Sha256Fingerprint(blob), $"CA {SshKeyFormat.Sha256Fingerprint(certificate.CertificateAuthorityKey)}");
        }

        return Refusal is null;
    }

    private bool Decide(byte[] blob)
    {
        string keyType = SshKeyFormat.KeyTypeOf(blob);
        string fingerprint = SshKeyFormat.Sha256Fingerprint(blob);
        if (options.HostKeyPolicy == HostKeyPolicy.Disabled)
        {
            logger.LogHostKeyCheckingDisabled(_hostName, keyType, fingerprint);
            return true;
        }

        HostKeyCheck check = knownHosts.Check(_hostName, blob);
        switch (check.Verdict)
        {
            case HostKeyVerdict.Known:
                logger.LogHostKeyKnown(_hostName, keyType, fingerprint, check.Entries[0].Location);
                return true;

            case HostKeyVerdict.Unknown when options.HostKeyPolicy == HostKeyPolicy.AcceptNew:
                return AcceptNew(blob, keyType, fingerprint);

            case HostKeyVerdict.Unknown:
                Refusal = HostKeyMessages.Unknown(_hostName, blob, knownHosts.Path);
                return false;

            case HostKeyVerdict.Changed:
                Refusal = HostKeyMessages.Changed(_hostName, blob, knownHosts.Path, check.Entries);
                return false;

            default:
                Refusal = HostKeyMessages.Revoked(_hostName, blob, check.Entries[0]);
                return false;
        }
    }

    private bool AcceptNew(byte[] blob, string keyType, string fingerprint)
    {
        try
        {
            // HashKnownHosts: the name is written as ssh-keygen -H writes it, so the file does not list the hosts.
            if (KnownHostsFile.AppendHostKey(knownHosts.Path, _hostName, blob, options.HashKnownHosts))
            {
                logger.LogHostKeyAdded(_hostName, keyType, fingerprint, knownHosts.Path);
            }
            else
            {
                // Another client added the very same line since the file was read.
                logger.LogHostKeyKnown(_hostName, keyType, fingerprint, knownHosts.Path);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Refusal = $"cannot add the host key of {_hostName} ({keyType} {fingerprint}) to {knownHosts.Path}: {ex.Message}. Make the file writable or choose another with --known-hosts";
            return false;
        }
    }
}
