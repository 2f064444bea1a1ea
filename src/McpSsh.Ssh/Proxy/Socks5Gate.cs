using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace McpSsh.Ssh.Proxy;

/// <summary>
/// The one door SSH.NET can be sent through to a stream of ours (it always dials its own TCP socket): a SOCKS5
/// listener on 127.0.0.1 that accepts exactly one connection, closes at once, and lets it through only with a
/// random 128-bit password that only our SSH.NET client knows. A local process that races us to the port gets
/// nothing but a failed connect for us (fail closed), never a tunnel.
/// </summary>
internal sealed class Socks5Gate : IDisposable
{
    public const string UserName = "mcp-ssh";

    private readonly Socket _listener;

    public Socks5Gate()
    {
        Password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
    }

    public int Port { get; }

    /// <summary>Never logged.</summary>
    public string Password { get; }

    /// <summary>
    /// Accepts the one connection, closes the listener, and runs the SOCKS5 handshake; returns the socket
    /// positioned after it, for <see cref="Relay.Run"/>. Any deviation (wrong password, another command) fails.
    /// </summary>
    public async Task<Socket> AcceptAsync(CancellationToken cancellationToken)
    {
        Socket client;
        try
        {
            client = await _listener.AcceptAsync(cancellationToken);
        }
        finally
        {
            _listener.Dispose();
        }

        try
        {
            await HandshakeAsync(client, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task HandshakeAsync(Socket client, CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(client, ownsSocket: false);
        byte[] greeting = await ReadAsync(stream, 2, cancellationToken);
        byte[] methods = await ReadAsync(stream, greeting[1], cancellationToken);
        if (greeting[0] != 5 || !methods.Contains((byte)2))
        {
            await stream.WriteAsync(new byte[] { 5, 0xFF }, cancellationToken);
            throw new IOException("the loopback bridge was reached by something other than our SSH client (no SOCKS5 password method)");
        }

        await stream.WriteAsync(new byte[] { 5, 2 }, cancellationToken);
        byte[] version = await ReadAsync(stream, 2, cancellationToken);
        string user = Encoding.ASCII.GetString(await ReadAsync(stream, version[1], cancellationToken));
        byte[] passwordLength = await ReadAsync(stream, 1, cancellationToken);
        byte[] password = await ReadAsync(stream, passwordLength[0], cancellationToken);
        bool valid = version[0] == 1 && user == UserName
            && CryptographicOperations.FixedTimeEquals(password, Encoding.ASCII.GetBytes(Password));
        await stream.WriteAsync(new byte[] { 1, valid ? (byte)0 : (byte)1 }, cancellationToken);
        if (!valid)
        {
            throw new IOException("the loopback bridge was reached by a process that did not know its password; the connect was aborted");
        }

        // CONNECT request: VER CMD RSV ATYP ADDR PORT. The target is ours already; only the shape is checked.
        byte[] head = await ReadAsync(stream, 4, cancellationToken);
        int addressLength = head[3] switch
        {
            1 => 4,
            4 => 16,
            3 => (await ReadAsync(stream, 1, cancellationToken))[0],
            _ => throw new IOException("unexpected SOCKS5 address type on the loopback bridge"),
        };
        await ReadAsync(stream, addressLength + 2, cancellationToken);
        if (head[0] != 5 || head[1] != 1)
        {
            throw new IOException("unexpected SOCKS5 command on the loopback bridge");
        }

        await stream.WriteAsync(new byte[] { 5, 0, 0, 1, 0, 0, 0, 0, 0, 0 }, cancellationToken);
    }

    private static async Task<byte[]> ReadAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    public void Dispose() => _listener.Dispose();
}
