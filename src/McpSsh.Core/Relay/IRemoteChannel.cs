using System.Buffers;
using McpSsh.JsonRpc;

namespace McpSsh.Relay;

/// <summary>
/// The far end of the relay: a remote stdio MCP server (an SSH shell or exec channel, ssh's stdio, a backend
/// process), or the resilient channel over such links. Output is pushed (<see cref="DeliverOutputAsync"/>), input
/// is sent frame by frame; the relay needs nothing else, which keeps it testable with in-memory channels.
/// </summary>
public interface IRemoteChannel : IAsyncDisposable
{
    /// <summary>True when the channel can signal end of input and keep reading (exec); a shell cannot.</summary>
    bool CanHalfClose { get; }

    /// <summary>Why the remote side ended, once its output has ended (e.g. "remote command exited with status 1").</summary>
    string CloseReason { get; }

    /// <summary>
    /// Sends one frame followed by a newline. <paramref name="info"/> is what the relay found when it checked the
    /// frame, so a channel that needs it does not parse the frame again. Throws when the channel is gone. A channel
    /// may hold the frame back until <see cref="EndOfBurst"/>.
    /// </summary>
    void SendFrame(ReadOnlySequence<byte> frame, in FrameInfo info);

    /// <summary>
    /// The host's reader has handled every frame it had for now: frames held back by <see cref="SendFrame"/> go out,
    /// together (one SSH packet for 200 concurrent calls instead of 200). Raw channels write at once and hold nothing.
    /// </summary>
    void EndOfBurst()
    {
    }

    /// <summary>True when the channel takes a host line in parts (<see cref="SendPart"/> ... <see cref="EndPart"/>).</summary>
    bool CanSendParts => false;

    /// <summary>
    /// The next bytes of a host line still arriving (issue 16): nothing else goes to the far end until the line ends.
    /// May block while the far end is not reading (the host's reader then waits: nothing is queued or copied).
    /// Throws when the channel is gone.
    /// </summary>
    void SendPart(ReadOnlySequence<byte> part) => throw new NotSupportedException("this channel takes whole frames only");

    /// <summary>
    /// The last bytes of the line and its newline. <paramref name="info"/> is what the whole line turned out to be:
    /// a request is in flight before its newline is sent. Throws when the channel is gone.
    /// </summary>
    void EndPart(ReadOnlySequence<byte> last, in FrameInfo info) => SendFrame(last, info);

    /// <summary>
    /// The host's line turned out malformed or too large: the far end's line is ended so its parser rejects it (what
    /// was sent lacks at least the object's closing brace, which the relay holds back: <see cref="StreamedLineHold"/>).
    /// </summary>
    void AbandonPart()
    {
    }

    /// <summary>Tells the remote there is no more input (EOF), where <see cref="CanHalfClose"/>.</summary>
    void CompleteInput();

    /// <summary>
    /// Starts pushing every output line to <paramref name="receiver"/>, in order, each inspected once (call once).
    /// Completes true when the output ended, false when the receiver stopped it; faults if the receiver threw.
    /// Nothing is read from the far end before this is called.
    /// </summary>
    Task<bool> DeliverOutputAsync(IFrameReceiver receiver);
}
