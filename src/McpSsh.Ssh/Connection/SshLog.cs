using Microsoft.Extensions.Logging;

namespace McpSsh.Ssh;

internal static partial class SshLog
{
    [LoggerMessage(200, LogLevel.Information, "Connecting to {Endpoint} as {Username} with key {KeyPath}")]
    public static partial void LogConnecting(this ILogger logger, string endpoint, string username, string keyPath);

    [LoggerMessage(201, LogLevel.Information, "Connected to {Endpoint} ({ServerVersion}; {Kex}, {Cipher}) in {Elapsed} ms; {Mode}")]
    public static partial void LogConnected(this ILogger logger, string endpoint, string? serverVersion, string? kex, string? cipher, long elapsed, string mode);

    [LoggerMessage(202, LogLevel.Information, "Remote stderr: {Line}")]
    public static partial void LogRemoteStderr(this ILogger logger, string line);

    [LoggerMessage(203, LogLevel.Information, "Connection to {Endpoint} was dropped before authentication ({Reason}); the server may be busy (sshd MaxStartups): retrying in {Wait} ms (attempt {Attempt})")]
    public static partial void LogConnectRetry(this ILogger logger, string endpoint, string reason, long wait, int attempt);

    [LoggerMessage(300, LogLevel.Debug, "Host key of {HostName} is known: {KeyType} {Fingerprint} ({Location})")]
    public static partial void LogHostKeyKnown(this ILogger logger, string hostName, string keyType, string fingerprint, string location);

    [LoggerMessage(301, LogLevel.Warning, "Added the host key of {HostName} to {Path} (--accept-new): {KeyType} {Fingerprint}")]
    public static partial void LogHostKeyAdded(this ILogger logger, string hostName, string keyType, string fingerprint, string path);

    [LoggerMessage(302, LogLevel.Warning, "HOST KEY CHECKING IS DISABLED: accepting {HostName}'s {KeyType} {Fingerprint} without verification. Anyone on the network path can impersonate the server and read everything sent to it")]
    public static partial void LogHostKeyCheckingDisabled(this ILogger logger, string hostName, string keyType, string fingerprint);
}
