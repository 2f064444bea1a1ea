namespace McpSsh.Relay;

/// <summary>How a relay session ended, blaming a side. The CLI maps each to an exit code and one message.</summary>
public enum RelayOutcome
{
    /// <summary>The host closed stdin (or asked us to stop) and the remaining answers were drained: a clean end.</summary>
    HostClosed,

    /// <summary>The remote side ended: channel closed, remote command exited, or the connection dropped.</summary>
    RemoteClosed,

    /// <summary>Writing to the host (stdout) failed: the host went away.</summary>
    HostWriteFailed,
}
