using System.Net.Sockets;
using Renci.SshNet.Messages.Transport;
using Renci.SshNet.Common;

namespace McpSsh.Ssh;

/// <summary>Turns SSH.NET and socket exceptions into one sentence each: what failed, where, how to fix it.</summary>
internal static class ConnectErrors
{
    /// <param name="keys">The keys offered, for an authentication failure (file paths and agent keys).</param>
    public static SshConnectException Explain(Exception ex, SshConnectOptions o, string? hostKeyRefusal, string? keys)
    {
        string where = o.Endpoint;
        if (hostKeyRefusal is not null)
        {
            return new SshConnectException(ConnectFailure.HostKey, hostKeyRefusal, ex);
        }

        return ex switch
        {
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => new(ConnectFailure.Unreachable,
                $"connection refused by {where}: no SSH server is listening there. Check --host and --port, and that the server (mcp-ssh serve or sshd) is running", ex),
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData } => new(ConnectFailure.Unreachable,
                $"cannot resolve host name '{o.Host}'. Check --host", ex),
            SocketException { SocketErrorCode: SocketError.TimedOut } => new(ConnectFailure.Timeout,
                $"connecting to {where} timed out. Check that the host is reachable and no firewall drops port {o.Port}", ex),
            SocketException se => new(ConnectFailure.Unreachable,
                $"cannot reach {where}: {se.Message}. Check --host, --port and the network", ex),
            SshOperationTimeoutException => new(ConnectFailure.Timeout,
                $"connecting to {where} timed out after {o.ConnectTimeout.TotalSeconds:0.#} s. Check that the host is reachable and speaks SSH on port {o.Port}, or raise --connect-timeout", ex),
            Agent.SshAgentException => new(ConnectFailure.Authentication, $"authentication at {where} failed: {ex.Message}", ex),
            SshAuthenticationException => new(ConnectFailure.Authentication,
                $"authentication failed at {where}: the server refused {(keys is null || keys == o.PrivateKeyPath ? $"key {o.PrivateKeyPath}" : $"every key offered ({keys})")} for user '{o.Username}'. "
                + $"Install the public key on the server (append {o.PrivateKeyPath}.pub to ~{o.Username}/.ssh/authorized_keys, or register it with --use-key-server) and check --username", ex),
            SshConnectionException { DisconnectReason: DisconnectReason.ProtocolVersionNotSupported } => new(ConnectFailure.Protocol,
                $"{where} does not speak SSH ({ex.Message}). Check --port", ex),
            SshConnectionException or SshException => new(ConnectFailure.Protocol,
                $"SSH connection to {where} failed: {ex.Message}", ex),
            _ => new(ConnectFailure.Protocol, $"connection to {where} failed: {ex.Message}", ex),
        };
    }
}
