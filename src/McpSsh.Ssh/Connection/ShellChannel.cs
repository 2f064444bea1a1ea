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
    private static readonly byte[] s_newline = "\n"u8.ToArray();
    private readonly SshLink _link;
    private readonly ShellStream _stream;
    private readonly Lock _writeLock = new();
    private Exception? _readError;

    public ShellChannel(SshLink link, ShellStream stream)
    {
        _link = link;
        _stream = stream;
        Output = StreamToPipe.Start(stream, "mcp-ssh shell reader", error => _readError = error);
    }

    public PipeReader Output { get; }

    public bool CanHalfClose => false;

    public string CloseReason => _link.DescribeClose(_readError, "the server closed the shell channel");

    public void SendFrame(ReadOnlySequence<byte> frame)
    {
        lock (_writeLock)
        {
            foreach (ReadOnlyMemory<byte> segment in frame)
            {
                _stream.Write(segment.Span);
            }

            _stream.Write(s_newline);
            _stream.Flush();
        }
    }

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
