using System.Net.Sockets;
using McpSsh.Ssh;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Transport;

namespace McpSsh.Tests.Connection;

/// <summary>Which first-connect failures are retried: only a connection the server dropped before authentication.</summary>
public class ConnectRetryClassificationTests
{
    // SSH.NET 2026.0.0's text when sshd (MaxStartups) closes a connection before its banner.
    private const string ClosedBeforeBanner = "The connection to the remote server was closed before a valid SSH identification string was received.";

    public static TheoryData<Exception, bool> Cases() => new()
    {
        { new SshConnectionException(ClosedBeforeBanner, DisconnectReason.ConnectionLost), true },
        { new SshConnectionException("An established connection was aborted by the server.", DisconnectReason.ConnectionLost), true },
        { new SshConnectionException("Too many connections", DisconnectReason.TooManyConnections), true },
        { new SocketException((int)SocketError.ConnectionReset), true },
        { new SocketException((int)SocketError.ConnectionAborted), true },
        { new SshException("read failed", new SocketException((int)SocketError.ConnectionReset)), true },
        { new SocketException((int)SocketError.ConnectionRefused), false },
        { new SocketException((int)SocketError.HostNotFound), false },
        { new SocketException((int)SocketError.TimedOut), false },
        { new SshOperationTimeoutException("Socket read operation has timed out after 15000 milliseconds."), false },
        { new SshAuthenticationException("Permission denied (publickey)."), false },
        { new SshConnectionException("Host key could not be verified.", DisconnectReason.HostKeyNotVerifiable), false },
        { new SshConnectionException("Server version '1.0' is not supported.", DisconnectReason.ProtocolVersionNotSupported), false },
        { new SshException("Invalid private key file."), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsTransient_BeforeAuthentication(Exception failure, bool expected) =>
        Assert.Equal(expected, ConnectRetry.IsTransient(failure, hostKeyRefused: false, authenticated: false));

    [Fact]
    public void ADroppedConnection_IsNotRetried_AfterAHostKeyRefusalOrOnceAuthenticated()
    {
        var dropped = new SshConnectionException(ClosedBeforeBanner, DisconnectReason.ConnectionLost);
        Assert.False(ConnectRetry.IsTransient(dropped, hostKeyRefused: true, authenticated: false));
        Assert.False(ConnectRetry.IsTransient(dropped, hostKeyRefused: false, authenticated: true));
    }
}
