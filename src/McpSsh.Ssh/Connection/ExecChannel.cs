using System.Buffers;
using System.Text;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using Microsoft.Extensions.Logging;
using Renci.SshNet;

namespace McpSsh.Ssh;

/// <summary>
/// An exec request for --remote-command. Unlike a shell it can half-close (disposing the input stream sends
/// EOF, but only once a byte was written), keeps stderr apart (drained line by line into our log, since it
/// grows without bound otherwise) and reports the exit status.
/// </summary>
internal sealed class ExecChannel : IRemoteChannel
{
    private readonly SshLink _link;
    private readonly SshCommand _command;
    private readonly Task _execution;
    private readonly StreamFrameSink _input;
    private Exception? _readError;
    private int _delivering;

    public ExecChannel(SshLink link, SshCommand command, ILogger logger)
    {
        _link = link;
        _command = command;
        _execution = command.ExecuteAsync();
        _input = new StreamFrameSink(command.CreateInputStream());

        // When the command ends abnormally (connection lost) SSH.NET faults the task without ending the output
        // stream; disposing it turns that into end of output (buffered bytes are still read first).
        _execution.ContinueWith(_ =>
        {
            _command.OutputStream.Dispose();
            _command.ExtendedOutputStream.Dispose();
        }, TaskScheduler.Default);
        StartStderrLogger(command.ExtendedOutputStream, logger);
    }

    public bool CanHalfClose => true;

    public string CloseReason
    {
        get
        {
            if (_command.ExitStatus is int status)
            {
                return $"remote command exited with status {status}";
            }

            if (!string.IsNullOrEmpty(_command.ExitSignal))
            {
                return $"remote command was killed by signal {_command.ExitSignal}";
            }

            return _link.DescribeClose(_execution.Exception?.GetBaseException() ?? _readError, "the server closed the exec channel");
        }
    }

    /// <summary>Reads the command's output on a thread of its own from now on (once).</summary>
    public Task<bool> DeliverOutputAsync(IFrameReceiver receiver)
    {
        if (Interlocked.Exchange(ref _delivering, 1) != 0)
        {
            throw new InvalidOperationException("the exec channel's output is delivered once");
        }

        return RawChannelOutput.ReadOnOwnThread(_command.OutputStream, "mcp-ssh exec reader", receiver, error => _readError = error);
    }

    public void SendFrame(ReadOnlySequence<byte> frame, in FrameInfo info) => _input.Write(frame);

    public bool CanSendParts => true;

    public void SendPart(ReadOnlySequence<byte> part) => _input.WritePart(part);

    public void EndPart(ReadOnlySequence<byte> last, in FrameInfo info) => _input.EndLine(last);

    public void AbandonPart() => _input.AbandonLine();

    public void CompleteInput() => _input.Close();

    public async ValueTask DisposeAsync()
    {
        CompleteInput();
        _command.Dispose();
        await _link.DisposeAsync();
    }

    private static void StartStderrLogger(Stream stderr, ILogger logger)
    {
        var thread = new Thread(() =>
        {
            try
            {
                using var reader = new StreamReader(stderr, Encoding.UTF8);
                while (reader.ReadLine() is { } line)
                {
                    logger.LogRemoteStderr(line);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // The channel went away; the relay reports why.
            }
        })
        { IsBackground = true, Name = "mcp-ssh exec stderr" };
        thread.Start();
    }
}
