using McpSsh.Ssh.Keys;
using McpSsh.Ssh.KnownHosts;
using Microsoft.Extensions.Logging;

namespace McpSsh.Ssh.KeyServer;

/// <summary>
/// Trust on first use for a served host key: the first answer is pinned into the known_hosts file; afterwards
/// a served key that is not exactly a pinned key (another key, or a key of another type) is refused instead of
/// trusted (the network is not proof). The SSH
/// connection then checks the real host key against the same file, so it must match the pin too.
/// </summary>
public static class HostKeyPin
{
    public static void Apply(string knownHostsPath, string host, int port, string servedKey, string servedBy, ILogger logger)
    {
        if (!PublicKeyLine.TryParse(servedKey, out PublicKeyLine? key, out string error))
        {
            throw new SshConnectException(ConnectFailure.KeyServer, $"the key server at {servedBy} served an unusable host key ({error})");
        }

        string hostName = SshKeyFormat.HostName(host, port);
        KnownHostsFile known = File.Exists(knownHostsPath) ? KnownHostsFile.Load(knownHostsPath) : KnownHostsFile.Parse(knownHostsPath, []);
        HostKeyCheck check = known.Check(hostName, key!.Blob);
        string fingerprint = SshKeyFormat.Sha256Fingerprint(key.Blob);
        switch (check.Verdict)
        {
            case HostKeyVerdict.Known:
                logger.LogDebug("Served host key {Fingerprint} matches the pin for {Host} in {File}", fingerprint, hostName, knownHostsPath);
                return;
            case HostKeyVerdict.Unknown:
                KnownHostsFile.Append(knownHostsPath, SshKeyFormat.KnownHostsLine(hostName, key.Blob));
                logger.LogInformation("Pinned the host key served by {Url} for {Host}: {Type} {Fingerprint} (in {File}); a different key will be refused from now on",
                    servedBy, hostName, key.KeyType, fingerprint, knownHostsPath);
                return;
            case HostKeyVerdict.Revoked:
                throw new SshConnectException(ConnectFailure.HostKey, $"the key server at {servedBy} serves {key.KeyType} {fingerprint} for {hostName}, which {knownHostsPath} marks @revoked; ask the administrator for the server's new key");
            default:
                // Changed: the host is pinned by other key(s), of this type or another; only an exact match passes.
                string pins = string.Join(", ", check.Entries.Select(e => $"{e.Location} pins {e.KeyType} {SshKeyFormat.Sha256Fingerprint(e.KeyBlob)}"));
                throw new SshConnectException(ConnectFailure.HostKey,
                    $"HOST KEY CHANGED: the key server at {servedBy} now serves {key.KeyType} {fingerprint} for {hostName}, but {pins}. "
                    + $"Someone may be intercepting the connection. If the server's key was really replaced, remove the pin with: ssh-keygen -R '{hostName}' -f {knownHostsPath}");
        }
    }
}
