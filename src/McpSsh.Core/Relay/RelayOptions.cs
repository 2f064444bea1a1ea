namespace McpSsh.Relay;

public sealed record RelayOptions
{
    /// <summary>The largest frame relayed in either direction (--max-frame-bytes).</summary>
    public long MaxFrameBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>After the host closes stdin, how long remaining remote output may take to arrive.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Names the far end in messages the host sees, e.g. "127.0.0.1:8022".</summary>
    public string Endpoint { get; init; } = "remote";

    /// <summary>
    /// How long the host may take to send its first valid JSON-RPC message before the session ends as if
    /// stdin had closed (the gateway behind serve's sshd: a probe must not pin it); null: no bound.
    /// </summary>
    public TimeSpan? FirstFrameTimeout { get; init; }

    /// <summary>
    /// Above this many bytes a frame is forwarded as it arrives, in parts, instead of whole (issue 16), so memory
    /// depends on buffer sizes, not message size. <see cref="long.MaxValue"/> turns streaming off.
    /// </summary>
    public long StreamAboveBytes { get; init; } = DefaultStreamAboveBytes;

    /// <summary>The streaming threshold: measured in docs/benchmarks.md (issue 16).</summary>
    public const long DefaultStreamAboveBytes = 256 * 1024;

    /// <summary>The client's --allow-tools / --deny-tools: applied by <see cref="ToolFilterStage"/>; null lets every tool through.</summary>
    public Filtering.ToolFilter? ToolFilter { get; init; }
}
