namespace McpSsh.Diagnostics;

/// <summary>Every log event id in one place, grouped by capability (1xx relay, 2xx ssh, 3xx host keys, 4xx keys, 9xx cli).</summary>
internal static class EventIds
{
    public const int FrameFromHost = 100;
    public const int FrameFromRemote = 101;
    public const int BadFrameFromHost = 102;
    public const int BadFrameFromRemote = 103;
    public const int OversizedFrameFromHost = 104;
    public const int OversizedFrameFromRemote = 105;
    public const int HostInputEnded = 110;
    public const int RemoteEnded = 111;
    public const int FailedInFlight = 112;
    public const int ShutdownDrain = 113;
    public const int RemoteStderr = 114;
    public const int FirstFrameTimeout = 115;
}
