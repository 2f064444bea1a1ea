using McpSsh.Diagnostics;
using Microsoft.Extensions.Logging;

namespace McpSsh.Relay;

internal static partial class RelayLog
{
    [LoggerMessage(EventIds.FrameFromHost, LogLevel.Trace, "host -> remote: {Bytes} bytes, {Kind} method={Method} id={Id}")]
    public static partial void LogFrameFromHost(this ILogger logger, long bytes, JsonRpc.FrameKind kind, string? method, string? id);

    [LoggerMessage(EventIds.FrameFromRemote, LogLevel.Trace, "remote -> host: {Bytes} bytes, {Kind} method={Method} id={Id}")]
    public static partial void LogFrameFromRemote(this ILogger logger, long bytes, JsonRpc.FrameKind kind, string? method, string? id);

    [LoggerMessage(EventIds.BadFrameFromHost, LogLevel.Warning, "Rejected a line from the host ({Bytes} bytes): {Error}; answered with JSON-RPC error {Code} (id {Id})")]
    public static partial void LogBadFrameFromHost(this ILogger logger, long bytes, string error, int code, string id);

    [LoggerMessage(EventIds.BadFrameFromRemote, LogLevel.Warning, "Dropped a line from {Endpoint} that is not a JSON-RPC message ({Bytes} bytes, {Error}); it began: {Head}")]
    public static partial void LogBadFrameFromRemote(this ILogger logger, string endpoint, long bytes, string error, string head);

    [LoggerMessage(EventIds.OversizedFrameFromHost, LogLevel.Warning, "Rejected a line from the host longer than --max-frame-bytes ({Max} bytes); answered with JSON-RPC error (id {Id})")]
    public static partial void LogOversizedFrameFromHost(this ILogger logger, long max, string id);

    [LoggerMessage(EventIds.OversizedFrameFromRemote, LogLevel.Warning, "Dropped a line from {Endpoint} longer than --max-frame-bytes ({Max} bytes, id {Id}); raise --max-frame-bytes if the server really sends such messages")]
    public static partial void LogOversizedFrameFromRemote(this ILogger logger, string endpoint, long max, string id);

    [LoggerMessage(EventIds.HostInputEnded, LogLevel.Information, "The host closed stdin; finishing with {InFlight} request(s) in flight")]
    public static partial void LogHostInputEnded(this ILogger logger, int inFlight);

    [LoggerMessage(EventIds.RemoteEnded, LogLevel.Information, "Connection to {Endpoint} closed: {Reason}")]
    public static partial void LogRemoteEnded(this ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventIds.FailedInFlight, LogLevel.Warning, "Answered {Count} request(s) still in flight with an error: {Reason}")]
    public static partial void LogFailedInFlight(this ILogger logger, int count, string reason);

    [LoggerMessage(EventIds.FirstFrameTimeout, LogLevel.Warning, "No valid JSON-RPC message from the host within {Seconds} s (--first-frame-timeout); ending the session")]
    public static partial void LogFirstFrameTimeout(this ILogger logger, double seconds);

    [LoggerMessage(EventIds.ShutdownDrain, LogLevel.Debug, "Drain finished: {InFlight} request(s) unanswered")]
    public static partial void LogShutdownDrain(this ILogger logger, int inFlight);
}
