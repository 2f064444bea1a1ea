namespace McpSsh.Resilience;

/// <summary>The MCP era the host's traffic showed (see <see cref="SessionReplay.Era"/>).</summary>
public enum SessionEra
{
    Unknown,

    /// <summary>2025-11-25 and older: the host sent <c>initialize</c>.</summary>
    Legacy,

    /// <summary>2026-07-28: the host's requests carry the <c>_meta</c> envelope and no initialize came.</summary>
    Modern,
}
