using System.Buffers;
using System.Diagnostics;
using McpSsh.JsonRpc;
using McpSsh.Processes;
using McpSsh.Relay;

namespace McpSsh.Ssh.OpenSsh;

/// <summary>
/// The system ssh as the link: its stdin and stdout are the channel (shell or exec, both can half-close: closing
/// stdin makes ssh send EOF), its exit status says why the channel closed.
/// </summary>
internal sealed class OpenSshChannel : IRemoteChannel
{
    private readonly Process _process;
    private readonly StreamFrameSink _input;
    private readonly OpenSshStderr _stderr;
    private Exception? _readError;
    private int _delivering;

    public OpenSshChannel(Process process, OpenSshStderr stderr)
    {
        _process = process;
        _stderr = stderr;
        _input = new StreamFrameSink(process.StandardInput.BaseStream);
    }

    public bool CanHalfClose => true;

    public int Pid => _process.Id;

    public string CloseReason
    {
        get
        {
            if (!_process.HasExited)
            {
                return _readError is { } error ? $"reading from ssh failed ({error.Message})" : "ssh closed its output";
            }

            string last = _stderr.LastMessage is { } message ? $": {message}" : "";
            return _process.ExitCode == 255
                ? $"ssh lost the connection (exit status 255{last})"
                : $"the remote side closed the session (ssh exit status {_process.ExitCode}{last})";
        }
    }

    /// <summary>Reads ssh's stdout on a thread of its own from now on (once).</summary>
    public Task<bool> DeliverOutputAsync(IFrameReceiver receiver)
    {
        if (Interlocked.Exchange(ref _delivering, 1) != 0)
        {
            throw new InvalidOperationException("the ssh channel's output is delivered once");
        }

        return RawChannelOutput.ReadOnOwnThread(_process.StandardOutput.BaseStream, "mcp-ssh ssh reader", receiver, error => _readError = error);
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
        // EOF first (the remote server sees its stdin end), then ask ssh to stop, then make sure.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            ProcessSignals.Terminate(_process.Id);
            using var last = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await _process.WaitForExitAsync(last.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
