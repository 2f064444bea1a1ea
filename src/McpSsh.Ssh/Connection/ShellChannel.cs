using System.Buffers;
using System.IO.Pipelines;
using McpSsh.Relay;
using Renci.SshNet;

namespace McpSsh.Ssh;

/// <summary>
/// A shell request without a pty: what the Python server (asyncssh) accepts, and what an sshd ForceCommand serves.
/// ShellStream buffers writes until Flush, so every frame is flushed. It cannot half-close: Dispose sends EOF
/// and CLOSE together, which is why the relay waits for in-flight answers before closing.
/// </summary>
internal sealed class ShellChannel : IRemoteChannel
{
    private readonly SshLink _link;
    private readonly ShellStream _stream;
    private readonly StreamFrameSink _input;
    private Exception? _readError;

    public ShellChannel(SshLink link, ShellStream stream)
    {
        _link = link;
        _stream = stream;
        _input = new StreamFrameSink(stream);
        Output = StreamToPipe.Start(stream, "mcp-ssh shell reader", error => _readError = error);

        // A lost connection does not end a blocked ShellStream read; disposing the stream does (read returns 0).
        link.Lost.Register(() =>
        {
            try
            {
                _stream.Dispose();
            }
            catch (Exception ex) when (ex is Renci.SshNet.Common.SshException or ObjectDisposedException or InvalidOperationException or IOException or System.Net.Sockets.SocketException)
            {
                // Closing a channel on a dead connection may fail; the read has ended either way.
            }
        });
    }

    public PipeReader Output { get; }

    public bool CanHalfClose => false;

    public string CloseReason => _link.DescribeClose(_readError, "the server closed the shell channel");

    public void SendFrame(ReadOnlySequence<byte> frame) => _input.Write(frame);

    public void CompleteInput()
    {
        // A shell channel has no half-close in SSH.NET; closing happens in DisposeAsync once answers are in.
    }

    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        return _link.DisposeAsync();
    }
}
