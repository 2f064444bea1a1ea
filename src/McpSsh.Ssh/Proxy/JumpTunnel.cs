using System.Net;
using System.Net.Sockets;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace McpSsh.Ssh.Proxy;

/// <summary>
/// Reaches the next hop through an authenticated jump connection (a direct-tcpip channel, as ssh -J). SSH.NET
/// opens such channels only for connections to a listener of its own (ForwardedPortLocal on 127.0.0.1:0); that
/// listener lets through exactly one connection, from a socket this tunnel bound itself, and vetoes any other
/// before a channel is opened. SSH.NET in turn reaches that socket only through the password-checked
/// <see cref="Socks5Gate"/>.
/// </summary>
internal sealed class JumpTunnel : GatedTunnel
{
    private readonly ForwardedPortLocal _forward;
    private int _allowedPort = -1;

    public JumpTunnel(SshClient jump, string jumpName, string host, int port)
        : base($"jump host {jumpName}")
    {
        _forward = new ForwardedPortLocal("127.0.0.1", 0, host, (uint)port);
        _forward.RequestReceived += Veto;
        _forward.Exception += (_, e) =>
        {
            if (e.Exception is VetoedConnectionException)
            {
                // A stranger's connection to the forwarding listener, closed before any channel: ours goes on.
                return;
            }

            Fail($"{jumpName} could not open a channel to {host}:{port} ({e.Exception.Message}); check that it may forward there (PermitOpen, AllowTcpForwarding)");
            // SSH.NET keeps the refused connection open; closing our side now makes the client fail at once, not time out.
            Abort();
        };
        jump.AddForwardedPort(_forward);
        _forward.Start();
        Start();
    }

    public override ConnectFailure SilenceFailure => ConnectFailure.Unreachable;

    public override string SilenceHint => "the jump host may refuse to forward there (PermitOpen, AllowTcpForwarding) or the server is down";

    private void Veto(object? sender, PortForwardEventArgs e)
    {
        if (e.OriginatorPort != Volatile.Read(ref _allowedPort) || e.OriginatorHost != "127.0.0.1")
        {
            // Throwing makes SSH.NET close the connection before any channel is opened on the jump host.
            throw new VetoedConnectionException($"refused a connection from {e.OriginatorHost}:{e.OriginatorPort} to the jump tunnel: it is reserved for mcp-ssh's own connection");
        }
    }

    /// <summary>A socket bound first, so the veto knows its port before it connects to the forwarding listener.</summary>
    protected override async Task<Stream> OpenFarEndAsync(CancellationToken cancellationToken)
    {
        var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        outbound.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Volatile.Write(ref _allowedPort, ((IPEndPoint)outbound.LocalEndPoint!).Port);
        await outbound.ConnectAsync(new IPEndPoint(IPAddress.Loopback, (int)_forward.BoundPort), cancellationToken);
        return new NetworkStream(outbound, ownsSocket: true);
    }

    protected override ValueTask CloseFarEndAsync()
    {
        try
        {
            _forward.Stop();
        }
        catch (Exception ex) when (ex is SshException or ObjectDisposedException or InvalidOperationException)
        {
            // The jump connection is gone already.
        }

        _forward.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Thrown from the forwarding listener's veto; SSH.NET reports it back through the port's Exception event.</summary>
internal sealed class VetoedConnectionException(string message) : Exception(message);
