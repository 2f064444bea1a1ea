using System.Buffers;
using System.IO.Pipelines;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace McpSsh.Ssh;

/// <summary>
/// A shell request without a pty: what the Python server (asyncssh) accepts, and what an sshd ForceCommand serves.
/// ShellStream buffers writes until Flush, so every frame is flushed. It cannot half-close: Dispose sends EOF
/// and CLOSE together, which is why the relay waits for in-flight answers before closing.
/// </summary>
/// <remarks>
/// Output is taken on SSH.NET's receive thread (the stream's DataReceived event) and handed on there: the pipe's
/// reader runs inline, so a frame goes from the socket to stdout on one thread, with no wake-up of a reader
/// thread per message. A host that stops reading stdout then holds SSH.NET's receive loop, which stops reading
/// the socket: back-pressure all the way to the server, where SSH.NET has none of its own.
/// </remarks>
internal sealed class ShellChannel : IRemoteChannel
{
    private const int ReadSize = 64 * 1024;

    // SSH.NET disposes the stream without an event when the server sends DISCONNECT; this notices that.
    private static readonly TimeSpan s_endPoll = TimeSpan.FromSeconds(1);

    private readonly SshLink _link;
    private readonly ShellStream _stream;
    private readonly StreamFrameSink _input;
    private readonly Pipe _output = new(new PipeOptions(readerScheduler: PipeScheduler.Inline, pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
    private readonly Lock _readLock = new();
    private readonly Timer _endPollTimer;
    private Exception? _readError;
    private bool _ended;

    public ShellChannel(SshLink link, ShellStream stream)
    {
        _link = link;
        _stream = stream;
        _input = new StreamFrameSink(stream);
        stream.DataReceived += (_, _) => Drain();
        stream.Closed += (_, _) => End();
        Drain(); // what arrived before the handler was attached

        // A lost connection ends nothing by itself: close the stream (a blocked write fails) and end the output.
        link.Lost.Register(() =>
        {
            try
            {
                _stream.Dispose();
            }
            catch (Exception ex) when (ex is SshException or ObjectDisposedException or InvalidOperationException or IOException or System.Net.Sockets.SocketException)
            {
                // Closing a channel on a dead connection may fail; it is over either way.
            }

            End();
        });
        _endPollTimer = new Timer(_ => PollEnd(), null, s_endPoll, s_endPoll);
    }

    public PipeReader Output => _output.Reader;

    public bool CanHalfClose => false;

    public string CloseReason => _link.DescribeClose(_readError, "the server closed the shell channel");

    public void SendFrame(ReadOnlySequence<byte> frame, in FrameInfo info) => _input.Write(frame);

    public void CompleteInput()
    {
        // A shell channel has no half-close in SSH.NET; closing happens in DisposeAsync once answers are in.
    }

    public ValueTask DisposeAsync()
    {
        _endPollTimer.Dispose();
        _stream.Dispose();
        End();
        return _link.DisposeAsync();
    }

    /// <summary>Moves what the stream holds into the pipe; the relay then runs on this thread. Never throws into SSH.NET.</summary>
    private void Drain()
    {
        lock (_readLock)
        {
            if (_ended)
            {
                return;
            }

            try
            {
                // Only SSH.NET's receive thread adds data, so what is available can be read without blocking.
                PipeWriter writer = _output.Writer;
                while (_stream.DataAvailable)
                {
                    int read = _stream.Read(writer.GetSpan(ReadSize));
                    writer.Advance(read);
                }

                ValueTask<FlushResult> flush = writer.FlushAsync();
                if (!flush.IsCompletedSuccessfully)
                {
                    flush.AsTask().GetAwaiter().GetResult();
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _readError = ex;
                CompleteLocked();
            }
        }
    }

    private void PollEnd()
    {
        if (!_stream.CanWrite)
        {
            End();
        }
    }

    private void End()
    {
        Drain(); // a disposed stream still gives what it had buffered
        lock (_readLock)
        {
            CompleteLocked();
        }
    }

    private void CompleteLocked()
    {
        if (!_ended)
        {
            _ended = true;
            _endPollTimer?.Dispose();
            _output.Writer.Complete();
        }
    }
}
