using Microsoft.Extensions.Logging;

namespace McpSsh.Gateway;

internal static partial class GatewayLog
{
    [LoggerMessage(400, LogLevel.Information, "Started backend {Name} (pid {Pid}): {Command}")]
    public static partial void LogBackendStarted(this ILogger logger, string name, int pid, string command);

    [LoggerMessage(401, LogLevel.Information, "[{Name}] {Line}")]
    public static partial void LogBackendStderr(this ILogger logger, string name, string line);

    [LoggerMessage(402, LogLevel.Warning, "Backend {Name} (pid {Pid}) ignored stdin close and SIGTERM; killing it")]
    public static partial void LogBackendKilled(this ILogger logger, string name, int pid);

    [LoggerMessage(403, LogLevel.Warning, "Backend {Name} exited with status {Status}; {InFlight} request(s) in flight answered with an error, its tools, prompts and resources leave the merged view")]
    public static partial void LogBackendExited(this ILogger logger, string name, int status, int inFlight);

    [LoggerMessage(404, LogLevel.Warning, "Backend {Name} left out: {Reason}")]
    public static partial void LogBackendLeftOut(this ILogger logger, string name, string reason);

    [LoggerMessage(405, LogLevel.Information, "Restarting backend {Name} (attempt {Attempt})")]
    public static partial void LogBackendRestarting(this ILogger logger, string name, int attempt);

    [LoggerMessage(406, LogLevel.Warning, "Backends answered different protocol versions ({Versions}); using the oldest, {Chosen}")]
    public static partial void LogProtocolVersionMismatch(this ILogger logger, string versions, string chosen);

    [LoggerMessage(407, LogLevel.Warning, "Dropped a line from backend {Name} that is not a JSON-RPC message ({Error})")]
    public static partial void LogBadBackendFrame(this ILogger logger, string name, string error);

    [LoggerMessage(408, LogLevel.Information, "Merged {Count} backend(s): {Names}")]
    public static partial void LogMerged(this ILogger logger, int count, string names);

    [LoggerMessage(409, LogLevel.Warning, "{Warning}")]
    public static partial void LogConfigWarning(this ILogger logger, string warning);

    [LoggerMessage(410, LogLevel.Warning, "Rejected a line from the host ({Bytes} bytes): {Error}; answered with JSON-RPC error {Code} (id {Id})")]
    public static partial void LogBadClientFrame(this ILogger logger, long bytes, string error, int code, string id);

    [LoggerMessage(411, LogLevel.Warning, "No valid JSON-RPC message from the host within {Seconds} s (--first-frame-timeout); ending the session")]
    public static partial void LogFirstFrameTimeout(this ILogger logger, double seconds);

    [LoggerMessage(412, LogLevel.Information, "Backend {Name} is served in the {Era} era")]
    public static partial void LogBackendEra(this ILogger logger, string name, string era);

    [LoggerMessage(413, LogLevel.Warning, "Backend {Name} sent {Method} to a host of protocol revision 2026-07-28, which has no server-to-client requests; answered with an error")]
    public static partial void LogServerRequestRefused(this ILogger logger, string name, string method);
}
