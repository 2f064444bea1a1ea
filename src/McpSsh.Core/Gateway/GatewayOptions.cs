namespace McpSsh.Gateway;

public sealed record GatewayOptions
{
    public NamePolicy NamePolicy { get; init; } = NamePolicy.Suffix;

    /// <summary>How long a backend may take to answer initialize (and each fanned-out list) before it is left out.</summary>
    public TimeSpan InitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public long MaxFrameBytes { get; init; } = 64L * 1024 * 1024;

    public string Version { get; init; } = "0.0.0";
}
