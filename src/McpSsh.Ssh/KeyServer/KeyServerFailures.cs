using System.Net.Http;
using System.Net.Sockets;

namespace McpSsh.Ssh.KeyServer;

/// <summary>How the key-server client tells "nothing listens" from "something is wrong", and the sentences for each.</summary>
internal static class KeyServerFailures
{
    /// <summary>
    /// True only when nothing answered over TLS: the connection was refused (or rejected by a firewall) or timed
    /// out. Anything else on the TLS port (a certificate that is not trusted, a failed handshake, a reset) is not a
    /// reason to try plain HTTP: an attacker on the path could otherwise force the downgrade.
    /// </summary>
    public static bool NothingListens(Exception ex, CancellationToken cancellation) => ex switch
    {
        OperationCanceledException => !cancellation.IsCancellationRequested, // our per-attempt timeout
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } http =>
            FindSocketError(http) is SocketError.ConnectionRefused or SocketError.TimedOut or SocketError.HostUnreachable,
        _ => false,
    };

    public static string Reason(Exception ex) => ex switch
    {
        OperationCanceledException => "timed out",
        _ when FindSocketError(ex) is SocketError.ConnectionRefused => "connection refused",
        _ => ex.GetBaseException().Message,
    };

    /// <summary>A failure over TLS that is not "nothing listens": an error, never a fallback to plain HTTP.</summary>
    public static SshConnectException OverTls(string url, string host, HttpRequestException ex) => ex.HttpRequestError switch
    {
        HttpRequestError.SecureConnectionError => new(ConnectFailure.KeyServer,
            $"the key server at {url} failed the TLS handshake ({ex.GetBaseException().Message}); not falling back to plain HTTP. "
            + $"Give the key server a certificate this machine trusts that names {host}, or stop whatever answers on that port", ex),
        HttpRequestError.NameResolutionError => new(ConnectFailure.KeyServer,
            $"cannot resolve host name '{host}' for the key server ({ex.GetBaseException().Message}). Check --host", ex),
        _ => new(ConnectFailure.KeyServer,
            $"the key server at {url} failed ({ex.GetBaseException().Message}); not falling back to plain HTTP, which is tried only when "
            + "a TLS connection is refused or times out. Check --host and what listens on port 443 there", ex),
    };

    /// <summary><paramref name="announced"/>: the Content-Length, when the answer gave one.</summary>
    public static SshConnectException TooLarge(string url, long? announced) =>
        new(ConnectFailure.KeyServer,
            $"the key server at {url} answered {(announced is long n ? $"{n} bytes, more" : "more")} than the {KeyServerClient.MaxResponseBytes} bytes a key-server answer may have; stopped reading. "
            + "Check --key-server-port: it must be the port of an mcp-ssh or m2m-mcp-server-ssh-server key server");

    private static SocketError? FindSocketError(Exception ex)
    {
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }

        return null;
    }
}
