using System.Diagnostics;
using System.Net.Sockets;
using McpSsh.Relay;
using Microsoft.Extensions.Logging;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Transport;

namespace McpSsh.Ssh;

/// <summary>
/// The first connect, retried while the server drops it before authentication: a busy sshd (MaxStartups) closes
/// a new connection before its banner or during key exchange, and the same attempt a moment later gets through.
/// What retrying cannot fix (a refused port, a host key, authentication, a timeout) fails at once, as before.
/// </summary>
public static class ConnectRetry
{
    private static readonly TimeSpan s_firstWait = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_maxWait = TimeSpan.FromSeconds(2);

    /// <summary>Connects, retrying transient failures with a doubling wait, all within <see cref="SshConnectOptions.ConnectTimeout"/>.</summary>
    public static async Task<IRemoteChannel> ConnectAsync(SshConnectOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        TimeSpan wait = s_firstWait;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await SshConnector.ConnectAsync(options, logger, cancellationToken);
            }
            catch (SshConnectException ex) when (ex.Transient && elapsed.Elapsed + wait < options.ConnectTimeout)
            {
                logger.LogConnectRetry(options.Endpoint, ex.InnerException?.Message ?? ex.Message, (long)wait.TotalMilliseconds, attempt);
            }

            // A backoff between attempts (the server needs a moment to free a slot), not a synchronisation.
            await Task.Delay(wait, cancellationToken);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, s_maxWait.Ticks));
        }
    }

    /// <summary>
    /// True when the server (or the path) dropped a connection that was established but not yet authenticated:
    /// closed before the SSH identification or during key exchange, or reset. Never for a refused or unreachable
    /// port, a timeout, a refused host key or an authentication failure, nor once authentication succeeded.
    /// </summary>
    public static bool IsTransient(Exception ex, bool hostKeyRefused, bool authenticated)
    {
        if (hostKeyRefused || authenticated)
        {
            return false;
        }

        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SshConnectionException { DisconnectReason: DisconnectReason.ConnectionLost or DisconnectReason.TooManyConnections }:
                case SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted }:
                    return true;
                case SshAuthenticationException or SshOperationTimeoutException:
                    return false;
            }
        }

        return false;
    }
}
