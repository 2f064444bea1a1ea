using Microsoft.Extensions.Logging;

namespace McpSsh.Server;

internal static partial class ServeLog
{
    [LoggerMessage(500, LogLevel.Information, "Started sshd (pid {Pid}): {Sshd} -D -e -f {Config}")]
    public static partial void LogSshdStarted(this ILogger logger, int pid, string sshd, string config);

    [LoggerMessage(EventId = 501, Message = "[sshd] {Line}")]
    public static partial void LogSshdLine(this ILogger logger, LogLevel level, string line);

    [LoggerMessage(502, LogLevel.Warning, "Session process {Pid} outlived SIGTERM; killing it")]
    public static partial void LogSessionKilled(this ILogger logger, int pid);

    [LoggerMessage(EventId = 503, Message = "[session {Session}] {Line}")]
    public static partial void LogSessionLine(this ILogger logger, LogLevel level, int session, string line);
}
