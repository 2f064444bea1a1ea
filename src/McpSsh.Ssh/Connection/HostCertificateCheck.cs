using McpSsh.Ssh.KnownHosts;
using Renci.SshNet.Security;

namespace McpSsh.Ssh;

/// <summary>
/// A host certificate is trusted as OpenSSH trusts it: an <c>@cert-authority</c> line for the host names its CA key,
/// it is a host (not user) certificate, the host name is among its principals (an empty list matches any host),
/// and now is within its validity. SSH.NET has already checked the CA's signature over it; not whether that CA is
/// one we trust, nor type, principals or validity. The certified key itself must not be <c>@revoked</c>.
/// </summary>
internal static class HostCertificateCheck
{
    /// <summary>Null when trusted; otherwise why not, as one sentence.</summary>
    public static string? Refusal(Certificate certificate, byte[] hostKey, string hostName, string principalName, KnownHostsFile knownHosts, DateTimeOffset now)
    {
        byte[] ca = certificate.CertificateAuthorityKey;
        List<KnownHostsEntry> authorities = [.. knownHosts.Entries.Where(e => e.Marker == KnownHostsMarker.CertAuthority && e.MatchesHost(hostName))];
        string caFingerprint = SshKeyFormat.Sha256Fingerprint(ca);
        if (authorities.Count == 0)
        {
            return $"{hostName} presented a host certificate (CA {caFingerprint}), but no @cert-authority line in {knownHosts.Path} covers it";
        }

        if (!authorities.Any(a => a.HasKey(ca)))
        {
            return $"{hostName} presented a host certificate signed by CA {caFingerprint}, which is not the CA that {string.Join(", ", authorities.Select(a => a.Location))} trusts for it";
        }

        if (knownHosts.Entries.Any(e => e.Marker == KnownHostsMarker.Revoked && (e.HasKey(hostKey) || e.HasKey(ca))))
        {
            return $"the host certificate of {hostName} (key {SshKeyFormat.Sha256Fingerprint(hostKey)}) or its CA is marked @revoked in {knownHosts.Path}";
        }

        if (certificate.Type != Certificate.CertificateType.Host)
        {
            return $"{hostName} presented a user certificate as its host certificate";
        }

        if (certificate.ValidPrincipals.Count > 0 && !certificate.ValidPrincipals.Contains(principalName, StringComparer.Ordinal))
        {
            return $"the host certificate of {hostName} is valid for {string.Join(", ", certificate.ValidPrincipals)}, not for {principalName}";
        }

        if (now < certificate.ValidAfter || now >= certificate.ValidBefore)
        {
            return $"the host certificate of {hostName} is valid from {certificate.ValidAfter:u} to {certificate.ValidBefore:u}, not now ({now:u})";
        }

        return null;
    }
}
