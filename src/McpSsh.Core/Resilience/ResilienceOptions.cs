namespace McpSsh.Resilience;

public sealed record ResilienceOptions
{
    /// <summary>Probe the far end after this long without a frame from it (--keepalive); zero turns probing off.</summary>
    public TimeSpan Keepalive { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Unanswered probes after which the link is dead (--keepalive-count-max).</summary>
    public int KeepaliveCountMax { get; init; } = 3;

    /// <summary>False (--no-reconnect): a lost link ends the session, as before.</summary>
    public bool Reconnect { get; init; } = true;

    /// <summary>How long a request that arrives while disconnected waits for the link (--reconnect-wait).</summary>
    public TimeSpan ReconnectWait { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long each replayed request may take to be answered on a new link.</summary>
    public TimeSpan ReplayTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public long MaxFrameBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// After a link is lost, how long a write of the host's that is still blocked on it may hold the host's input
    /// before the session ends with an error (see <see cref="LinkWriter"/>; longer than SSH.NET's own timeout).
    /// </summary>
    public TimeSpan StuckWriteLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Names the far end in messages, e.g. "127.0.0.1:8022".</summary>
    public string Endpoint { get; init; } = "remote";

    /// <summary>Connect failures after which retrying is pointless or unsafe (a changed host key).</summary>
    public Func<Exception, bool> StopsReconnecting { get; init; } = _ => false;
}
