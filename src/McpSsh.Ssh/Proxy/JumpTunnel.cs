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
internal sealed class JumpTunnel : ITunnel
{
    private readonly SshClient _jump;
    private readonly ForwardedPortLocal _forward;
    private readonly Task _relay;
    private readonly CancellationTokenSource _stop = new();
    private int _allowedPort = -1;
    private int _disposed;
    private Socket? _inbound;
    private string? _failure;
    private bool _answered;

    public JumpTunnel(SshClient jump, string jumpName, string host, int port)
    {
        _jump = jump;
        Description = $"jump host {jumpName}";
        _forward = new ForwardedPortLocal("127.0.0.1", 0, host, (uint)port);
        _forward.RequestReceived += Veto;
        _forward.Exception += (_, e) =>
        {
            if (e.Exception is VetoedConnectionException)
            {
                // A stranger's connection to the forwarding listener, closed before any channel: ours goes on.
                return;
            }

            _failure ??= $"{jumpName} could not open a channel to {host}:{port} ({e.Exception.Message}); check that it may forward there (PermitOpen, AllowTcpForwarding)";
            // SSH.NET keeps the refused connection open; closing our side now makes the client fail at once, not time out.
            _stop.Cancel();
            Volatile.Read(ref _inbound)?.Dispose();
        };
        _jump.AddForwardedPort(_forward);
        _forward.Start();
        Gate = new Socks5Gate();
        _relay = RunAsync();
    }

    public Socks5Gate Gate { get; }

    public string Description { get; }

    public ConnectFailure SilenceFailure => ConnectFailure.Unreachable;

    public string SilenceHint => "the jump host may refuse to forward there (PermitOpen, AllowTcpForwarding) or the server is down";

    public bool Answered => Volatile.Read(ref _answered);

    public string? Failure => _failure;

    private void Veto(object? sender, PortForwardEventArgs e)
    {
        if (e.OriginatorPort != Volatile.Read(ref _allowedPort) || e.OriginatorHost != "127.0.0.1")
        {
            // Throwing makes SSH.NET close the connection before any channel is opened on the jump host.
            throw new VetoedConnectionException($"refused a connection from {e.OriginatorHost}:{e.OriginatorPort} to the jump tunnel: it is reserved for mcp-ssh's own connection");
        }
    }

    private async Task RunAsync()
    {
        try
        {
            using Socket inbound = await Gate.AcceptAsync(_stop.Token);
            Volatile.Write(ref _inbound, inbound);
            var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            outbound.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Volatile.Write(ref _allowedPort, ((IPEndPoint)outbound.LocalEndPoint!).Port);
            await outbound.ConnectAsync(new IPEndPoint(IPAddress.Loopback, (int)_forward.BoundPort), _stop.Token);
            await Relay.Run(new NetworkStream(inbound, ownsSocket: false), new NetworkStream(outbound, ownsSocket: true), () => Volatile.Write(ref _answered, true));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            _failure ??= $"the tunnel through {Description} failed: {ex.Message}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Cancel();
        Gate.Dispose();
        try
        {
            _forward.Stop();
        }
        catch (Exception ex) when (ex is SshException or ObjectDisposedException or InvalidOperationException)
        {
            // The jump connection is gone already.
        }

        _forward.Dispose();
        await _relay.ContinueWith(static _ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}

/// <summary>Thrown from the forwarding listener's veto; SSH.NET reports it back through the port's Exception event.</summary>
internal sealed class VetoedConnectionException(string message) : Exception(message);
