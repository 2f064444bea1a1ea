using System.Net.Sockets;
using System.Text;

namespace McpSsh.Cli.Commands;

/// <summary>
/// The gateway's log when serve runs it (`--session-log SOCKET`): lines go to serve's Unix socket, never to
/// stderr, which sshd hands to the SSH client. Once the socket fails (serve gone), lines are dropped: the
/// client must not get them, and the gateway must not stop for its log.
/// </summary>
internal sealed class ServeSessionLog : TextWriter
{
    private readonly Socket _socket;
    private readonly StreamWriter _writer;
    private bool _broken;

    private ServeSessionLog(Socket socket)
    {
        _socket = socket;
        _writer = new StreamWriter(new NetworkStream(socket, ownsSocket: false), new UTF8Encoding(false)) { AutoFlush = false };
    }

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Connects to serve's socket; when that fails, a writer that drops everything.</summary>
    public static TextWriter Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return new ServeSessionLog(socket);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return Null;
        }
    }

    public override void Write(char value) => Guard(w => w.Write(value));

    public override void Write(string? value) => Guard(w => w.Write(value));

    public override void WriteLine(string? value) => Guard(w => w.WriteLine(value));

    public override void Flush() => Guard(w => w.Flush());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Guard(w => w.Dispose());
            _socket.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Guard(Action<StreamWriter> write)
    {
        if (_broken)
        {
            return;
        }

        try
        {
            write(_writer);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            _broken = true;
        }
    }
}
