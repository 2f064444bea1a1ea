namespace McpSsh.Ssh.Config;

/// <summary>
/// The values an OpenSSH client config gives one host, first obtained wins (IdentityFile and CertificateFile
/// accumulate). Null means the config did not set it. Values are kept as written (tokens unexpanded) except
/// where noted; <see cref="SshConfigTokens"/> expands them. <see cref="Sources"/> says which file:line set each.
/// </summary>
public sealed class ResolvedSshConfig
{
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);

    internal ResolvedSshConfig(string originalHost) => OriginalHost = originalHost;

    public string OriginalHost { get; }

    /// <summary><c>HostName</c> as written (may hold <c>%h</c>); see <see cref="EffectiveHostName"/>.</summary>
    public string? HostName { get; internal set; }

    public int? Port { get; internal set; }

    public string? User { get; internal set; }

    public List<string> IdentityFiles { get; } = [];

    public bool? IdentitiesOnly { get; internal set; }

    public string? IdentityAgent { get; internal set; }

    public List<string> CertificateFiles { get; } = [];

    /// <summary>Set when ProxyJump came first (ssh then ignores ProxyCommand, unless it is <c>none</c>); <c>none</c> is kept as written.</summary>
    public string? ProxyJump { get; internal set; }

    /// <summary>The hops of <see cref="ProxyJump"/>, first hop first; empty when there is none (or it is <c>none</c>).</summary>
    public IReadOnlyList<SshJumpHost> JumpHosts => ProxyJump is null or "none" ? [] : SshJumpHost.ParseList(ProxyJump) ?? [];

    /// <summary>Set when ProxyCommand came first (ssh then ignores ProxyJump); <c>none</c> is kept as written.</summary>
    public string? ProxyCommand { get; internal set; }

    public IReadOnlyList<string>? UserKnownHostsFiles { get; internal set; }

    public IReadOnlyList<string>? GlobalKnownHostsFiles { get; internal set; }

    /// <summary><c>yes</c>, <c>no</c>, <c>accept-new</c> or <c>ask</c> (ssh's synonyms folded: off = no, on = yes).</summary>
    public string? StrictHostKeyChecking { get; internal set; }

    public string? HostKeyAlias { get; internal set; }

    public bool? HashKnownHosts { get; internal set; }

    public int? ConnectTimeoutSeconds { get; internal set; }

    public int? ServerAliveIntervalSeconds { get; internal set; }

    public int? ServerAliveCountMax { get; internal set; }

    /// <summary>Lower-case keyword to the <c>FILE:LINE</c> whose value was taken (the first, for lists).</summary>
    public IReadOnlyDictionary<string, string> Sources => _sources;

    /// <summary>Keywords mcp-ssh does not use, as <c>FILE:LINE: keyword</c> (logged at DEBUG).</summary>
    public List<string> Ignored { get; } = [];

    /// <summary>Things ssh would have done that we could not judge (e.g. <c>Match exec</c>), one line each.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>The host to connect to, as ssh computes it: <c>HostName</c> with <c>%h</c> expanded, lower-cased.</summary>
    public string EffectiveHostName =>
        (HostName is null ? OriginalHost : SshConfigTokens.ExpandHostName(HostName, OriginalHost)).ToLowerInvariant();

    /// <summary>IgnoreUnknown's pattern list, once a line set it.</summary>
    internal string? IgnoreUnknown { get; set; }

    internal bool IsSet(string keyword) => _sources.ContainsKey(keyword);

    internal void NoteSource(string keyword, string location) => _sources.TryAdd(keyword, location);
}
