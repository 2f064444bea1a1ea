using Microsoft.Extensions.Logging;

namespace McpSsh.Resilience;

internal static partial class ResilienceLog
{
    [LoggerMessage(120, LogLevel.Warning, "Connection to {Endpoint} lost: {Reason}; {InFlight} request(s) in flight answered with an error")]
    public static partial void LogLinkLost(this ILogger logger, string endpoint, string reason, int inFlight);

    [LoggerMessage(121, LogLevel.Information, "Reconnecting to {Endpoint} in {Delay:0.0} s (attempt {Attempt})")]
    public static partial void LogReconnecting(this ILogger logger, string endpoint, double delay, int attempt);

    [LoggerMessage(122, LogLevel.Warning, "Reconnect attempt {Attempt} to {Endpoint} failed: {Reason}")]
    public static partial void LogReconnectFailed(this ILogger logger, int attempt, string endpoint, string reason);

    [LoggerMessage(123, LogLevel.Information, "Reconnected to {Endpoint} after {Seconds:0.0} s; replayed {Replayed}")]
    public static partial void LogReconnected(this ILogger logger, string endpoint, double seconds, string replayed);

    [LoggerMessage(124, LogLevel.Warning, "The server answered the replayed initialize differently: {Change}. The host still uses the first answer")]
    public static partial void LogReplayChanged(this ILogger logger, string change);

    [LoggerMessage(125, LogLevel.Information, "Dropped {Method} from the host: not connected to {Endpoint}")]
    public static partial void LogDroppedNotification(this ILogger logger, string method, string endpoint);

    [LoggerMessage(126, LogLevel.Warning, "Stopped reconnecting to {Endpoint}: {Reason}")]
    public static partial void LogStoppedReconnecting(this ILogger logger, string endpoint, string reason);

    [LoggerMessage(127, LogLevel.Debug, "Keepalive probe {Number} ({Method}) to {Endpoint} after {Idle:0.0} s without a frame")]
    public static partial void LogKeepaliveProbe(this ILogger logger, int number, string method, string endpoint, double idle);

    [LoggerMessage(128, LogLevel.Warning, "Replay of {What} on the new connection failed: {Reason}")]
    public static partial void LogReplayFailed(this ILogger logger, string what, string reason);
}
