namespace McpSsh.Relay;

/// <summary>
/// A channel that holds back the host's frames that were read together and sends them at once when the reader
/// has no more (<see cref="EndOfBurst"/>): one SSH packet for 200 concurrent calls instead of 200.
/// </summary>
public interface IBurstInput
{
    /// <summary>The host's reader has handled every complete frame it had; what was held back goes now.</summary>
    void EndOfBurst();
}
