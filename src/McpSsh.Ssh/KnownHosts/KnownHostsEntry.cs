namespace McpSsh.Ssh.KnownHosts;

/// <summary>A marker that changes what a known_hosts line means.</summary>
public enum KnownHostsMarker
{
    None,
    CertAuthority,
    Revoked,
}

/// <summary>One parsed known_hosts line: host patterns (plain or hashed), the key, and where it came from.</summary>
public sealed record KnownHostsEntry(
    string FilePath,
    int LineNumber,
    KnownHostsMarker Marker,
    string HostField,
    string KeyType,
    byte[] KeyBlob)
{
    public bool MatchesHost(string hostName) => HostPatternMatcher.MatchesHostField(HostField, hostName);

    public bool HasKey(byte[] blob) => KeyBlob.AsSpan().SequenceEqual(blob);

    public string Location => $"{FilePath}:{LineNumber}";
}
