namespace McpSsh.Gateway;

public sealed record GatewayOptions
{
    public NamePolicy NamePolicy { get; init; } = NamePolicy.Suffix;

    /// <summary>How long a backend may take to answer initialize (and each fanned-out list) before it is left out.</summary>
    public TimeSpan InitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public long MaxFrameBytes { get; init; } = 64L * 1024 * 1024;

    public string Version { get; init; } = "0.0.0";

    /// <summary>
    /// How long the host may take to send its first valid JSON-RPC message before the session ends (a port
    /// probe or an sftp client sitting idle must not pin the gateway and its backends); null: no bound.
    /// </summary>
    public TimeSpan? FirstFrameTimeout { get; init; }
}
