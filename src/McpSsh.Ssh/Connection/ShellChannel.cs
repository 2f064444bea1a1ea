using System.Buffers;
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
/// Output is taken on SSH.NET's receive thread (the stream's DataReceived event) and pushed on there through
/// <see cref="RawChannelOutput"/>, so a frame goes from the socket to stdout on one thread, with no wake-up of a reader
/// thread per message. Until the relay asks for the output it stays in the stream's buffer, unread. A host that stops reading stdout then holds SSH.NET's receive loop, which stops reading
/// the socket: back-pressure all the way to the server, where SSH.NET has none of its own.
/// </remarks>
internal sealed class ShellChannel : IRemoteChannel
{
    // SSH.NET disposes the stream without an event when the server sends DISCONNECT; this notices that.
    private static readonly TimeSpan s_endPoll = TimeSpan.FromSeconds(1);

    private readonly SshLink _link;
    private readonly ShellStream _stream;
    private readonly StreamFrameSink _input;
    private readonly Lock _readLock = new();
    private readonly Timer _endPollTimer;
    private RawChannelOutput? _output;
    private Exception? _readError;
    private bool _streamEnded;
    private bool _ended;

    public ShellChannel(SshLink link, ShellStream stream)
    {
        _link = link;
        _stream = stream;
        _input = new StreamFrameSink(stream);
        stream.DataReceived += (_, _) => Drain();
        stream.Closed += (_, _) => End();

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

    public bool CanHalfClose => false;

    public string CloseReason => _link.DescribeClose(_readError, "the server closed the shell channel");

    public void SendFrame(ReadOnlySequence<byte> frame, in FrameInfo info) => _input.Write(frame);

    public bool CanSendParts => true;

    public void SendPart(ReadOnlySequence<byte> part) => _input.WritePart(part);

    public void EndPart(ReadOnlySequence<byte> last, in FrameInfo info) => _input.EndLine(last);

    public void AbandonPart() => _input.AbandonLine();

    public Task<bool> DeliverOutputAsync(IFrameReceiver receiver)
    {
        var output = new RawChannelOutput(receiver);
        lock (_readLock)
        {
            if (_output is not null)
            {
                throw new InvalidOperationException("the shell channel's output is delivered once");
            }

            _output = output;
        }

        // What arrived before (and an end already seen) is handed over off the caller's thread, like what comes later.
        ThreadPool.UnsafeQueueUserWorkItem(static channel => channel.Drain(), this, preferLocal: false);
        return output.Completion;
    }

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

    /// <summary>
    /// Hands what the stream holds to the receiver, which runs on this thread; once the stream ended, ends the output.
    /// Nothing is read before the relay asked. Never throws into SSH.NET.
    /// </summary>
    private void Drain()
    {
        lock (_readLock)
        {
            if (_output is not { } output || _ended)
            {
                return;
            }

            try
            {
                // Only SSH.NET's receive thread adds data, so what is available can be read without blocking.
                while (_stream.DataAvailable)
                {
                    output.Advance(_stream.Read(output.GetSpan()));
                }

                if (!output.Deliver())
                {
                    _ended = true; // the receiver stopped
                    _endPollTimer?.Dispose();
                    return;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _readError = ex;
                _streamEnded = true;
            }

            if (_streamEnded)
            {
                CompleteLocked(output);
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
        lock (_readLock)
        {
            _streamEnded = true;
        }

        Drain(); // a disposed stream still gives what it had buffered, then the output ends
    }

    private void CompleteLocked(RawChannelOutput output)
    {
        if (!_ended)
        {
            _ended = true;
            _endPollTimer?.Dispose();
            output.End();
        }
    }
}
