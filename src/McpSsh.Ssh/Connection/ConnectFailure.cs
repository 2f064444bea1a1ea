namespace McpSsh.Ssh;

/// <summary>Why a connection could not be made; the CLI maps each to its exit code.</summary>
public enum ConnectFailure
{
    Unreachable,
    Timeout,
    HostKey,
    Authentication,
    KeyFile,
    Protocol,

    /// <summary>--use-key-server: the key server could not be reached or refused the request.</summary>
    KeyServer,
}

/// <summary>A connection failure with one complete human sentence: what failed, where, and how to fix it.</summary>
public sealed class SshConnectException(ConnectFailure failure, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ConnectFailure Failure { get; } = failure;

    /// <summary>The server dropped the connection before authentication: trying again may succeed (see <see cref="ConnectRetry"/>).</summary>
    public bool Transient { get; init; }
}
